"""Bad input gets a clear 4xx and changes nothing; no path leads to a 500."""

import pytest
from django.urls import reverse
from rest_framework import status
from rest_framework.throttling import AnonRateThrottle

from corpus_app.api.serializers import ModelRulesMixin
from corpus_app.models import Expert, Outlet, Quote
from tests.api_payloads import BACKWARDS_VISIT
from tests.factories import ArticleFactory, ExpertFactory, OutletFactory, QuoteFactory

pytestmark = pytest.mark.django_db


def test_malformed_json_is_400(curator_client):
    """A body that is not JSON is 400 saying so."""
    response = curator_client.generic(
        "POST", reverse("outlet-list"), '{"name": "Unclosed', content_type="application/json"
    )
    assert response.status_code == status.HTTP_400_BAD_REQUEST
    assert "JSON parse error" in response.json()["detail"]


def test_unknown_and_non_numeric_ids_are_404(api_client, curator_client):
    """Reading, changing or deleting an id that does not exist, or is not a number, is 404."""
    assert api_client.get(reverse("quote-detail", args=[999999])).status_code == status.HTTP_404_NOT_FOUND
    assert api_client.get("/api/quotes/abc/").status_code == status.HTTP_404_NOT_FOUND
    response = curator_client.patch(reverse("expert-detail", args=[999999]), {"name": "X"}, format="json")
    assert response.status_code == status.HTTP_404_NOT_FOUND
    assert curator_client.delete(reverse("expert-detail", args=[999999])).status_code == status.HTTP_404_NOT_FOUND


def test_missing_required_fields_are_named(curator_client):
    """A create without its required fields is 400 naming each."""
    response = curator_client.post(reverse("quote-list"), {}, format="json")
    assert response.status_code == status.HTTP_400_BAD_REQUEST
    assert set(response.json()) >= {"text", "speaker", "article"}


def test_an_invalid_choice_is_400(curator_client):
    """A value outside a field's choices is 400 on that field."""
    response = curator_client.post(reverse("expert-list"), {"slug": "x", "name": "X", "kind": "pundit"}, format="json")
    assert response.status_code == status.HTTP_400_BAD_REQUEST
    assert "kind" in response.json()


def test_a_unique_violation_that_slips_past_validation_is_409_not_500(curator_client, monkeypatch):
    """Two writers racing: both validate before either saves, so the database is the last line."""
    monkeypatch.setattr(ModelRulesMixin, "validate", lambda self, attrs: attrs)
    quote = QuoteFactory()
    response = curator_client.post(
        reverse("quote-list"),
        {
            "article": quote.article_id,
            "speaker": quote.speaker_id,
            "text": quote.text,
        },
        format="json",
    )
    assert response.status_code == status.HTTP_409_CONFLICT
    assert response.json()["detail"] in (
        "This article already has this quote.",
        "A record with these values already exists.",
    )
    assert Quote.objects.filter(text=quote.text).count() == 1


def test_a_check_constraint_that_slips_past_validation_is_409_not_500(curator_client, monkeypatch):
    """A database check that refuses a row validation let through is 409 with the rule's message."""
    monkeypatch.setattr(ModelRulesMixin, "validate", lambda self, attrs: attrs)
    response = curator_client.post(
        reverse("visit-list"),
        BACKWARDS_VISIT,
        format="json",
    )
    assert response.status_code == status.HTTP_409_CONFLICT
    assert response.json()["detail"] == "A visit cannot end before it starts."


def test_a_failed_write_leaves_nothing_behind(curator_client):
    """A refused write saves nothing."""
    ExpertFactory(name="Zahid Oruj")
    before = Expert.objects.count()
    response = curator_client.post(
        reverse("expert-list"),
        {
            "slug": "new-one",
            "name": "New One",
            "kind": "analyst",
            "alternate_names": ["Zahid Oruj"],
        },
        format="json",
    )
    assert response.status_code == status.HTTP_400_BAD_REQUEST
    assert Expert.objects.count() == before


def test_deleting_an_unreferenced_outlet_works_but_a_referenced_one_is_409(curator_client):
    """An outlet with articles cannot be deleted (409 saying how many); one without can (204)."""
    turan = ArticleFactory(outlet__name="Turan").outlet
    response = curator_client.delete(reverse("outlet-detail", args=[turan.pk]))
    assert response.status_code == status.HTTP_409_CONFLICT
    assert "1 articles still refer to it" in response.json()["detail"]
    assert Outlet.objects.filter(pk=turan.pk).exists()
    unused = OutletFactory(name="Unused")
    assert curator_client.delete(reverse("outlet-detail", args=[unused.pk])).status_code == status.HTTP_204_NO_CONTENT
    assert not Outlet.objects.filter(pk=unused.pk).exists()


def test_anonymous_clients_are_throttled_with_429(api_client, monkeypatch):
    """Anonymous clients over their rate get 429 with Retry-After."""
    monkeypatch.setattr(AnonRateThrottle, "rate", "2/minute", raising=False)
    for _ in range(2):
        assert api_client.get(reverse("outlet-list")).status_code == status.HTTP_200_OK
    response = api_client.get(reverse("outlet-list"))
    assert response.status_code == status.HTTP_429_TOO_MANY_REQUESTS
    assert "Retry-After" in response


def test_every_400_is_an_object_of_messages(api_client):
    """DRF's search filter refuses a NUL character with a bare list; clients still get the documented shape."""
    response = api_client.get(reverse("visit-list"), {"search": "a\x00b"})
    assert response.status_code == status.HTTP_400_BAD_REQUEST
    assert response.json() == {"non_field_errors": ["Null characters are not allowed."]}


def test_a_model_validation_error_reaching_the_handler_has_the_serializers_shape():
    """Rules spanning fields come under non_field_errors, whichever layer raised them."""
    from django.core.exceptions import ValidationError

    from corpus_app.api.exceptions import corpus_exception_handler

    error = ValidationError({"__all__": ["A visit cannot end before it starts."], "slug": ["Taken."]})
    response = corpus_exception_handler(error, {})
    assert response.status_code == status.HTTP_400_BAD_REQUEST
    assert response.data == {"non_field_errors": ["A visit cannot end before it starts."], "slug": ["Taken."]}


def test_a_record_gone_when_a_write_reads_it_back_is_409_and_saves_nothing(curator_client, monkeypatch):
    """A write answers with the record read back through its listing, whose joins need every related record.

    If one was deleted meanwhile and no foreign key check caught it (SQLite checks them at commit only),
    the read finds nothing: the answer is 409 and the write is rolled back, not a 500.
    """
    from corpus_app.api.views import QuoteViewSet

    article, speaker = ArticleFactory(), ExpertFactory()
    monkeypatch.setattr(QuoteViewSet, "get_queryset", lambda self: Quote.objects.none())
    response = curator_client.post(
        reverse("quote-list"), {"article": article.pk, "speaker": speaker.pk, "text": "We expect progress,"}
    )
    assert response.status_code == status.HTTP_409_CONFLICT
    assert response.json()["detail"].startswith("A record this one refers to was deleted while this request ran")
    assert not Quote.objects.exists()
    assert not Quote.history.exists()


def test_a_timeout_answer_says_how_long_the_database_had():
    """503's message names API_STATEMENT_TIMEOUT_MS; with none set, the database's own limit cancelled the query."""
    from django.test import override_settings

    from corpus_app.api.exceptions import DatabaseTimeout

    with override_settings(API_STATEMENT_TIMEOUT_MS=2500):
        assert str(DatabaseTimeout().detail).startswith("The database did not answer within 2.5 s, so this request")
    with override_settings(API_STATEMENT_TIMEOUT_MS=0):
        assert str(DatabaseTimeout().detail).startswith("The database did not answer in time, so this request")


def test_a_deadlock_the_database_broke_is_a_409_to_send_again():
    """PostgreSQL undoes one of two writers whose locks form a cycle: nothing was saved, so 409, not 500."""
    from django.db import OperationalError

    from corpus_app.api.exceptions import COLLIDED, api_exception_for_database_error

    class DeadlockDetected(Exception):
        pgcode = "40P01"

    error = OperationalError("deadlock detected")
    error.__cause__ = DeadlockDetected()
    answer = api_exception_for_database_error(error)
    assert (answer.status_code, str(answer.detail)) == (409, COLLIDED)


@pytest.mark.django_db
def test_a_database_locked_past_its_busy_timeout_is_503_with_retry_after(api_client, monkeypatch):
    """SQLite's one writer held by a long import: the request waited its turn in vain; it may try again."""
    from django.db import OperationalError

    from corpus_app.api.filters import ExpertFilter

    def locked(self, queryset):
        raise OperationalError("database is locked")

    monkeypatch.setattr(ExpertFilter, "filter_queryset", locked)
    response = api_client.get(reverse("expert-list"))
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response.json()["detail"].startswith("The database is busy with a long write")
