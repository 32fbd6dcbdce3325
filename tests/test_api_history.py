"""GET /api/<resource>/<id>/history/: who changed what, when and why, for scripts as for the admin."""

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, ExpertFactory, VisitFactory

pytestmark = pytest.mark.django_db


def history(client, basename, pk, **params):
    return client.get(reverse(f"{basename}-history", args=[pk]), params)


def test_an_edit_through_the_api_is_listed_with_who_why_and_what(curator_client):
    created = curator_client.post(reverse("expert-list"), {"name": "Farid Mammadov", "slug": "farid-mammadov",
                                                           "kind": "analyst"}, format="json").json()  # fmt: skip
    url = reverse("expert-detail", args=[created["id"]])
    assert curator_client.patch(url, {"role": "political analyst"}, format="json").status_code == 200
    response = history(curator_client, "expert", created["id"])
    assert response.status_code == 200
    changed, made = response.json()["results"]
    assert (changed["type"], changed["version"], changed["by"]) == ("changed", 2, "curator")
    assert changed["reason"] == f"API: PATCH {url}"
    assert changed["changes"] == [{"field": "role", "old": "", "new": "political analyst"}]
    assert made["type"] == "created"
    assert {"field": "name", "old": None, "new": "Farid Mammadov"} in made["changes"]
    assert not {"version", "updated_at", "created_at"} & {c["field"] for e in (changed, made) for c in e["changes"]}


def test_a_many_to_many_change_is_listed_as_ids(curator_client):
    first, second = VisitFactory(), VisitFactory()
    article = ArticleFactory(visits=[first])
    url = reverse("article-detail", args=[article.pk])
    assert curator_client.patch(url, {"visits": [first.pk, second.pk]}, format="json").status_code == 200
    latest = history(curator_client, "article", article.pk).json()["results"][0]
    assert {"field": "visits", "old": [first.pk], "new": sorted([first.pk, second.pk])} in latest["changes"]


def test_history_is_paged_newest_first(curator_client):
    expert = ExpertFactory()
    url = reverse("expert-detail", args=[expert.pk])
    for role in ("a", "b", "c"):
        curator_client.patch(url, {"role": role}, format="json")
    first = history(curator_client, "expert", expert.pk, page_size=2).json()
    assert [e["changes"][0]["new"] for e in first["results"]] == ["c", "b"]
    second = curator_client.get(first["next"]).json()
    assert [e["type"] for e in second["results"]] == ["changed", "created"]
    assert second["results"][0]["changes"][0]["new"] == "a"
    assert second["next"] is None and second["next_before"] is None


def test_a_deleted_record_keeps_its_history(curator_client):
    expert = ExpertFactory()
    assert curator_client.delete(reverse("expert-detail", args=[expert.pk])).status_code == 204
    (deleted, *_) = history(curator_client, "expert", expert.pk).json()["results"]
    assert (deleted["type"], deleted["by"]) == ("deleted", "curator")


def test_history_needs_the_permission_to_view(api_client, reader_client):
    expert = ExpertFactory()
    assert history(api_client, "expert", expert.pk).status_code == 401
    assert history(reader_client, "expert", expert.pk).status_code == 403


@pytest.mark.parametrize(
    ("pk", "params", "status"),
    [(999_999, {}, 404), (10**30, {}, 404), (None, {"page_size": 0}, 400), (None, {"before": "x"}, 400)],
)
def test_bad_history_requests(curator_client, pk, params, status):
    expert = ExpertFactory()
    assert history(curator_client, "expert", pk or expert.pk, **params).status_code == status


def test_a_list_field_is_listed_as_its_values(curator_client):
    expert = ExpertFactory(alternate_names=["Shainoglu", "Şahinoğlu"])
    made = history(curator_client, "expert", expert.pk).json()["results"][-1]
    assert {"field": "alternate_names", "old": None, "new": ["Shainoglu", "Şahinoğlu"]} in made["changes"]
