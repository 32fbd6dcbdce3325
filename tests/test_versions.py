"""No lost updates: of two edits based on the same version, the second is refused."""

import pytest
from django.urls import reverse
from rest_framework import status

from corpus_app.api.views import ExpertViewSet
from corpus_app.models import Expert, StaleVersionError
from tests.factories import ExpertFactory

pytestmark = pytest.mark.django_db


def test_every_save_raises_the_version():
    expert = ExpertFactory()
    assert expert.version == 1
    expert.role = "political scientist"
    expert.save()
    assert expert.version == 2 and Expert.objects.get(pk=expert.pk).version == 2


def test_the_second_of_two_concurrent_saves_is_refused():
    first = ExpertFactory(role="analyst")
    second = Expert.objects.get(pk=first.pk)
    first.role = "first curator's role"
    first.save()
    second.role = "second curator's role"
    with pytest.raises(StaleVersionError, match="changed by someone else"):
        second.save()
    assert Expert.objects.get(pk=first.pk).role == "first curator's role"


class TestApi:
    def url(self, expert):
        return reverse("expert-detail", args=[expert.pk])

    def test_reads_and_writes_carry_the_version_as_etag(self, curator_client):
        """A read's tag leads with the version (and names the corpus state); a write answers the bare version."""
        expert = ExpertFactory()
        response = curator_client.get(self.url(expert))
        assert response["ETag"].startswith('"1.') and response.json()["version"] == 1
        response = curator_client.patch(self.url(expert), {"role": "MP"}, format="json", HTTP_IF_MATCH=response["ETag"])
        assert response.status_code == status.HTTP_200_OK
        assert response["ETag"] == '"2"' and response.json()["version"] == 2

    def test_a_stale_if_match_is_412_and_changes_nothing(self, curator_client):
        expert = ExpertFactory(role="analyst")
        curator_client.patch(self.url(expert), {"role": "first"}, format="json", HTTP_IF_MATCH='"1"')
        response = curator_client.patch(self.url(expert), {"role": "second"}, format="json", HTTP_IF_MATCH='"1"')
        assert response.status_code == status.HTTP_412_PRECONDITION_FAILED
        assert "at version 2" in response.json()["detail"]
        assert Expert.objects.get(pk=expert.pk).role == "first"

    def test_a_stale_if_match_on_delete_is_412(self, curator_client):
        expert = ExpertFactory()
        curator_client.patch(self.url(expert), {"role": "changed"}, format="json")
        response = curator_client.delete(self.url(expert), HTTP_IF_MATCH='"1"')
        assert response.status_code == status.HTTP_412_PRECONDITION_FAILED
        assert Expert.objects.filter(pk=expert.pk).exists()

    def test_a_wildcard_if_match_matches_any_version(self, curator_client):
        expert = ExpertFactory()
        curator_client.patch(self.url(expert), {"role": "a"}, format="json")
        assert (
            curator_client.patch(self.url(expert), {"role": "b"}, format="json", HTTP_IF_MATCH="*").status_code == 200
        )

    def test_a_race_without_if_match_is_409_not_a_lost_update(self, curator_client, monkeypatch):
        expert = ExpertFactory(role="analyst")
        stale = Expert.objects.for_listing().get(pk=expert.pk)
        Expert.objects.filter(pk=expert.pk).update(role="saved first", version=2)
        monkeypatch.setattr(ExpertViewSet, "get_object", lambda self: stale)
        response = curator_client.patch(self.url(expert), {"role": "saved second"}, format="json")
        assert response.status_code == status.HTTP_409_CONFLICT
        assert "changed by someone else" in response.json()["detail"]
        assert Expert.objects.get(pk=expert.pk).role == "saved first"

    def test_an_update_racing_a_delete_is_409_and_the_record_stays_deleted(self, curator_client, monkeypatch):
        """The delete committed after the update read the record: the update must not bring it back."""
        expert = ExpertFactory(role="analyst")
        stale = Expert.objects.for_listing().get(pk=expert.pk)
        Expert.objects.filter(pk=expert.pk).delete()
        monkeypatch.setattr(ExpertViewSet, "get_object", lambda self: stale)
        response = curator_client.patch(self.url(expert), {"role": "saved after the delete"}, format="json")
        assert response.status_code == status.HTTP_409_CONFLICT
        assert "deleted by someone else" in response.json()["detail"]
        assert not Expert.objects.filter(pk=expert.pk).exists()
