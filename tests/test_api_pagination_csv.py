import datetime

import pytest
from django.urls import reverse

from corpus_app.api.pagination import KeysetPagination
from corpus_app.models import Outlet
from tests.api_responses import read_csv
from tests.factories import ArticleFactory, ExpertFactory, QuoteFactory, VisitFactory, quoted_article

pytestmark = pytest.mark.django_db

QUOTES = reverse("quote-list")
OUTLETS = reverse("outlet-list")


@pytest.fixture
def outlets():
    """25 outlets: five pages of five when a test sets the page size to 5."""
    Outlet.objects.bulk_create(Outlet(name=f"Outlet {n:02}", slug=f"outlet-{n:02}") for n in range(25))


def test_pages_carry_next_and_previous_links(api_client, outlets, monkeypatch):
    """A list answers one page at a time, with links to the neighbouring pages and no total."""
    monkeypatch.setattr(KeysetPagination, "page_size", 10)
    body = api_client.get(OUTLETS).json()
    assert (list(body), len(body["results"])) == (["next", "previous", "results"], 10)
    assert "cursor=" in body["next"] and body["previous"] is None
    second = api_client.get(body["next"]).json()
    last = api_client.get(second["next"]).json()
    assert [o["slug"] for o in last["results"]] == [f"outlet-{n}" for n in range(20, 25)]
    assert last["next"] is None
    assert api_client.get(last["previous"]).json()["results"] == second["results"]


def test_a_client_cannot_exceed_the_maximum_page_size(api_client, outlets, monkeypatch):
    """page_size above the maximum gets the maximum."""
    monkeypatch.setattr(KeysetPagination, "max_page_size", 7)
    assert len(api_client.get(OUTLETS, {"page_size": 1000}).json()["results"]) == 7
    assert len(api_client.get(OUTLETS, {"page_size": 3}).json()["results"]) == 3


def test_no_page_holds_more_than_five_hundred_rows(api_client):
    """The default page is 50 rows and no page holds more than 500."""
    Outlet.objects.bulk_create(Outlet(name=f"Outlet {n}", slug=f"outlet-{n}") for n in range(510))
    body = api_client.get(OUTLETS, {"page_size": 100000, "count": "true"}).json()
    assert (body["count"], len(body["results"])) == (510, 500)
    assert len(api_client.get(OUTLETS).json()["results"]) == 50


def test_paging_also_travels_in_headers(api_client, outlets):
    """An RFC 8288 Link header repeats the links, and X-Total-Count the total when asked, for CSV."""
    first = api_client.get(OUTLETS, {"page_size": 10, "format": "csv"})
    assert first["Link"] == f'<{first_link(first)}>; rel="next"' and "X-Total-Count" not in first
    second = api_client.get(first_link(first) + "&count=true")
    assert 'rel="next"' in second["Link"] and 'rel="prev"' in second["Link"]
    assert second["X-Total-Count"] == "25"
    assert len(read_csv(second)) == 10


def first_link(response) -> str:
    return response["Link"].split(">")[0].lstrip("<")


CSV_FILES = {
    "article": "articles",
    "visit": "visits",
    "expert": "experts",
    "quote": "quotes",
    "outlet": "outlets",
    "city": "cities",
    "visitparticipant": "visit-participants",
}


@pytest.fixture
def read_on_1_march(monkeypatch):
    """The day a CSV file's name carries is 1 March 2025."""
    from corpus_app.api import renderers

    monkeypatch.setattr(renderers.timezone, "localdate", lambda: datetime.date(2025, 3, 1))


@pytest.mark.parametrize("resource, file_name", CSV_FILES.items())
def test_every_list_is_available_as_csv(api_client, sample_corpus, read_on_1_march, resource, file_name):
    """Every list answers ?format=csv with a header and one row per record, as a file named for what it lists."""
    response = api_client.get(reverse(f"{resource}-list"), {"format": "csv", "count": "true"})
    rows = read_csv(response)
    assert len(rows) == int(response["X-Total-Count"]) >= 3
    assert "id" in rows[0] and all(row["id"] for row in rows)
    assert response["Content-Disposition"] == f'attachment; filename="{file_name}-2025-03-01.csv"'


def test_a_related_list_as_csv_is_named_for_its_record(api_client, read_on_1_march):
    """An expert's quotes in CSV are a file named for the expert's id and the quotes; a search's for the search."""
    expert = QuoteFactory().speaker
    response = api_client.get(reverse("expert-quotes", args=[expert.pk]), HTTP_ACCEPT="text/csv")
    assert len(read_csv(response)) == 1
    assert response["Content-Disposition"] == f'attachment; filename="experts-{expert.pk}-quotes-2025-03-01.csv"'
    search = api_client.get(reverse("search"), {"q": "progress", "format": "csv"})
    assert search["Content-Disposition"] == 'attachment; filename="search-2025-03-01.csv"'


def test_only_a_csv_answer_is_a_file(api_client):
    """JSON answers, and a refused CSV request, are shown, not downloaded."""
    QuoteFactory()
    assert "Content-Disposition" not in api_client.get(QUOTES)
    refused = api_client.get(QUOTES, {"format": "csv", "speaker": "not-a-number"})
    assert refused.status_code == 400 and "Content-Disposition" not in refused


def test_csv_by_accept_header_spreads_nested_objects_over_columns(api_client):
    """Accept: text/csv gives CSV; a nested object becomes dotted columns (speaker.name, article.slug)."""
    shahinoglu = ExpertFactory(name="Elkhan Shahinoglu", alternate_names=["Shainoglu"])
    quoted_article((shahinoglu, "The minister arrived."), (shahinoglu, "We expect progress,"))
    QuoteFactory()  # by someone else
    response = api_client.get(QUOTES, {"search": "Shainoglu", "count": "true"}, HTTP_ACCEPT="text/csv")
    rows = read_csv(response)
    assert len(rows) == 2
    assert {row["speaker.name"] for row in rows} == {"Elkhan Shahinoglu"}
    assert all(row["article.slug"] for row in rows)
    assert response["X-Total-Count"] == "2"


def test_csv_lists_of_related_records_become_slugs(api_client):
    """A list of related records becomes their slugs joined by "; "; a missing relation an empty cell."""
    ArticleFactory(
        title="Why Lavrov flew to Aliyev?",
        outlet=None,
        visits=[VisitFactory(slug="lavrov-azerbaijan-2015"), VisitFactory(slug="lavrov-turkey")],
    )
    ArticleFactory(title="Something else")
    rows = read_csv(api_client.get(reverse("article-list"), {"format": "csv", "search": "Why Lavrov flew"}))
    assert len(rows) == 1
    assert sorted(rows[0]["visits"].split("; ")) == ["lavrov-azerbaijan-2015", "lavrov-turkey"]
    assert rows[0]["outlet.name"] == ""


def test_csv_of_an_empty_list_still_has_its_header(api_client):
    """An empty list in CSV is its header row alone."""
    QuoteFactory()
    response = api_client.get(QUOTES, {"format": "csv", "search": "no such words anywhere"})
    lines = response.content.decode("utf-8").splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("id,text,kind,speaker.id,speaker.slug,speaker.name")


def test_a_page_size_that_is_not_a_whole_number_from_one_is_refused(api_client, db):
    for asked in ("ten", "0", "-5", "2.5"):
        response = api_client.get("/api/quotes/", {"page_size": asked})
        assert response.status_code == 400 and "page_size" in response.json(), asked
    assert api_client.get("/api/quotes/", {"page_size": 10_000}).status_code == 200  # more is given as 500
