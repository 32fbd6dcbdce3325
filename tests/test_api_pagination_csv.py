import csv
import io

import pytest
from django.urls import reverse
from rest_framework import status

from corpus_app.api.pagination import CorpusPagination
from corpus_app.models import Outlet

pytestmark = pytest.mark.django_db

QUOTES = reverse("quote-list")


def test_pages_default_to_fifty_and_carry_next_links(api_client, corpus, monkeypatch):
    monkeypatch.setattr(CorpusPagination, "page_size", 10)
    body = api_client.get(QUOTES).json()
    assert (body["count"], len(body["results"])) == (30, 10)
    assert body["next"].endswith("?page=2") and body["previous"] is None


def test_a_client_cannot_exceed_the_maximum_page_size(api_client, corpus, monkeypatch):
    monkeypatch.setattr(CorpusPagination, "max_page_size", 7)
    assert len(api_client.get(QUOTES, {"page_size": 1000}).json()["results"]) == 7


def test_no_page_holds_more_than_five_hundred_rows(api_client):
    Outlet.objects.bulk_create(Outlet(name=f"Outlet {n}", slug=f"outlet-{n}") for n in range(510))
    body = api_client.get(reverse("outlet-list"), {"page_size": 100000}).json()
    assert (body["count"], len(body["results"])) == (510, 500)
    assert len(api_client.get(reverse("outlet-list")).json()["results"]) == 50


def test_a_page_past_the_end_is_404(api_client, corpus):
    assert api_client.get(QUOTES, {"page": 99}).status_code == status.HTTP_404_NOT_FOUND


def test_paging_also_travels_in_headers(api_client, corpus):
    response = api_client.get(QUOTES, {"page_size": 10, "page": 2})
    assert response["X-Total-Count"] == "30"
    assert 'rel="next"' in response["Link"] and 'rel="prev"' in response["Link"]


def read_csv(response):
    assert response.status_code == status.HTTP_200_OK
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


@pytest.mark.parametrize("resource", ["article", "visit", "expert", "quote", "outlet", "city", "visitparticipant"])
def test_every_list_is_available_as_csv(api_client, corpus, resource):
    rows = read_csv(api_client.get(reverse(f"{resource}-list"), {"format": "csv"}))
    assert rows and "id" in rows[0]


def test_csv_by_accept_header_spreads_nested_objects_over_columns(api_client, corpus):
    response = api_client.get(QUOTES, {"search": "Shainoglu"}, HTTP_ACCEPT="text/csv")
    rows = read_csv(response)
    assert len(rows) == 5
    assert {row["speaker.name"] for row in rows} == {"Elkhan Shahinoglu"}
    assert all(row["article.slug"] for row in rows)
    assert response["X-Total-Count"] == "5"


def test_csv_lists_of_related_records_become_slugs(api_client, corpus):
    rows = read_csv(api_client.get(reverse("article-list"), {"format": "csv", "search": "Why Lavrov flew"}))
    assert rows[0]["visits"].split("; ")[0] == "lavrov-azerbaijan-2016"
    assert rows[0]["outlet.name"] == ""


def test_csv_of_an_empty_list_still_has_its_header(api_client, corpus):
    response = api_client.get(QUOTES, {"format": "csv", "search": "no such words anywhere"})
    header = response.content.decode("utf-8").splitlines()[0]
    assert header.startswith("id,text,kind,speaker.id,speaker.slug,speaker.name")
