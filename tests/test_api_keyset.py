"""Keyset pagination: following `next` (or `previous`) visits every row exactly once, in the list's order,
whatever the ordering, with ties and NULLs in its keys; cursors and orderings a list does not offer are 400."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework import status

from corpus_app.api.orderings import orderings_of
from corpus_app.models import Article, City, DatePrecision, Expert, Outlet, Quote, Visit, VisitParticipant
from tests.factories import (
    ArticleFactory,
    CityFactory,
    ExpertFactory,
    OutletFactory,
    QuoteFactory,
    VisitFactory,
    VisitParticipantFactory,
)

pytestmark = pytest.mark.django_db

MOMENT = timezone.now()
DAY = datetime.date(2023, 2, 27)
# What `?ordering=<name>` sorts by, as the README states it (the id breaks ties, in the same direction).
SORTED_BY = {"reading_order": ("article_id", "position"), "visit": ("visit_id",)}


@pytest.fixture
def rows_with_ties_and_nulls():
    """A few rows of every model whose sort keys tie (same date, title, name, timestamps, counts) or are NULL."""
    undated = {"published_date": None, "published_date_precision": DatePrecision.UNKNOWN}
    outlets = [OutletFactory(), OutletFactory(), OutletFactory()]
    articles = [
        ArticleFactory(title="Same title", published_date=DAY, view_count=10, outlet=outlets[0]),
        ArticleFactory(title="Same title", published_date=DAY, view_count=None, outlet=outlets[0]),
        ArticleFactory(title="Another", **undated, view_count=10),
        ArticleFactory(title="Zeta", **undated, view_count=None),
        ArticleFactory(title="Early", published_date=datetime.date(2016, 1, 1), view_count=3),
    ]
    experts = [ExpertFactory(name="Same Name"), ExpertFactory(name="Same Name"), ExpertFactory(name="Aliyev")]
    for article, speaker in zip(articles, [experts[0], experts[1], experts[0], experts[2], experts[0]], strict=True):
        QuoteFactory(article=article, speaker=speaker, text="The minister arrived.")
        QuoteFactory(article=article, speaker=experts[1], text="We expect progress,")
    Quote.objects.filter(article=articles[1]).update(position=None)  # quotes not (yet) placed in their article
    visits = [
        VisitFactory(title="Same", start_date=DAY, end_date=DAY, end_date_precision=DatePrecision.DAY),
        VisitFactory(title="Same", start_date=DAY),
        VisitFactory(title="Undated", undated=True),
        VisitFactory(title="Undated too", undated=True),
    ]
    CityFactory(name="Baku", country="AZ"), CityFactory(name="Baku", country="US"), CityFactory(name="Ganja")
    for visit in visits[:3]:
        VisitParticipantFactory(visit=visit)
        VisitParticipantFactory(visit=visit)
    # Equal timestamps on some rows of each model, so created_at and updated_at tie too.
    for model in (Article, Expert, Quote, Visit, Outlet, City, VisitParticipant):
        model.objects.filter(pk__in=model.objects.order_by("pk").values("pk")[:3]).update(
            created_at=MOMENT, updated_at=MOMENT
        )


def expected_order(model, ordering: str) -> list[int]:
    """The ids in the order `ordering` promises: its fields, NULL below any value, then the id."""
    name = ordering.removeprefix("-")
    fields = SORTED_BY.get(name, (name,))

    def key(row):
        return (*(((0,) if getattr(row, f) is None else (1, getattr(row, f))) for f in fields), row.pk)

    return [row.pk for row in sorted(model.objects.for_listing(), key=key, reverse=ordering.startswith("-"))]


def walk(api_client, url, params, link="next", start=None) -> tuple[list[int], str]:
    """Every id met following `link` from `start` (default: the first page), and the last page's url."""
    response = api_client.get(start or url, None if start else params)
    ids, pages = [], 0
    while True:
        assert response.status_code == status.HTTP_200_OK, response.content[:300]
        body = response.json()
        page = [row["id"] for row in body["results"]]
        assert len(page) <= params["page_size"] and "count" not in body
        ids = ids + page if link == "next" else page + ids
        pages += 1
        assert pages < 50, "the links go round in circles"
        if not body[link]:
            return ids, response.wsgi_request.get_full_path()
        response = api_client.get(body[link])


@pytest.mark.parametrize("model", [Article, Quote, Visit, Expert, Outlet, City, VisitParticipant])
def test_walking_next_then_previous_meets_every_row_once_in_order(api_client, rows_with_ties_and_nulls, model):
    """For every ordering of every list, `next` from the first page, then `previous` back from the
    last, each list every row exactly once, in the ordering's order (NULLs lowest, ties by id)."""
    url = reverse(f"{model._meta.model_name}-list")
    for ordering in orderings_of(model):
        params = {"ordering": ordering, "page_size": 2}
        expected = expected_order(model, ordering)
        forward, last_page = walk(api_client, url, params)
        assert forward == expected, ordering
        backward, _ = walk(api_client, url, params, link="previous", start=last_page)
        assert backward == expected, ordering


def test_related_lists_page_by_cursor(api_client, rows_with_ties_and_nulls):
    """An expert's quotes page through `next` in reading order, as /api/quotes/?speaker= does."""
    speaker = Expert.objects.filter(name="Same Name").order_by("pk")[1]  # quoted in every article
    by_route, _ = walk(api_client, reverse("expert-quotes", args=[speaker.pk]), {"page_size": 2})
    by_filter, _ = walk(api_client, reverse("quote-list"), {"speaker": speaker.pk, "page_size": 2})
    assert by_route == by_filter == [pk for pk in expected_order(Quote, "reading_order") if pk in set(by_filter)]
    assert len(by_route) >= 3


def test_the_default_orderings(api_client, rows_with_ties_and_nulls):
    """Without ?ordering=: articles and visits newest first (undated last), quotes in reading order, people by name."""
    defaults = {Article: "-published_date", Visit: "-start_date", Quote: "reading_order", Expert: "name"}
    for model, ordering in defaults.items():
        ids, _ = walk(api_client, reverse(f"{model._meta.model_name}-list"), {"page_size": 2})
        assert ids == expected_order(model, ordering), model


def test_count_only_when_asked(api_client, rows_with_ties_and_nulls):
    """?count=true puts the total of the filtered list in the body and X-Total-Count; without it there is none."""
    url = reverse("article-list")
    plain = api_client.get(url, {"page_size": 2})
    assert "count" not in plain.json() and "X-Total-Count" not in plain
    counted = api_client.get(url, {"page_size": 2, "count": "true"})
    assert counted.json()["count"] == 5 and counted["X-Total-Count"] == "5"
    assert len(counted.json()["results"]) == 2
    title = api_client.get(url, {"count": "true", "search": "Same title"})
    assert title.json()["count"] == 2
    assert api_client.get(url, {"count": "maybe"}).status_code == status.HTTP_400_BAD_REQUEST


def test_next_keeps_the_filters_and_page_size(api_client, rows_with_ties_and_nulls):
    """A `next` link repeats the request's other parameters, so a filtered walk stays filtered."""
    outlet = Article.objects.get(title="Same title", view_count=10).outlet
    ids, _ = walk(api_client, reverse("article-list"), {"outlet": outlet.pk, "page_size": 1})
    assert ids == [pk for pk in expected_order(Article, "-published_date") if pk in set(ids)]
    assert set(ids) == set(outlet.articles.values_list("pk", flat=True)) and len(ids) == 2


@pytest.mark.parametrize(
    "cursor",
    ["", "not-a-cursor", "eyJvIjoxfQ", "W10:1ab2cd:ZZZZ", "x" * 5000, "\u00e9\u00e9"],
)
def test_a_cursor_not_made_here_is_400(api_client, cursor):
    """A malformed or forged cursor is a 400 with a message on `cursor`, never a 500."""
    QuoteFactory()
    response = api_client.get(reverse("quote-list"), {"cursor": cursor})
    assert response.status_code == status.HTTP_400_BAD_REQUEST
    assert response.json()["cursor"]


def test_a_tampered_cursor_or_one_of_another_ordering_is_400(api_client, rows_with_ties_and_nulls):
    """A cursor is signed (an edited one is 400) and names its ordering (used with another, 400)."""
    url = reverse("article-list")
    next_link = api_client.get(url, {"page_size": 2, "ordering": "title"}).json()["next"]
    cursor = parse_qs(urlsplit(next_link).query)["cursor"][0]
    assert api_client.get(url, {"page_size": 2, "ordering": "title", "cursor": cursor}).status_code == 200
    tampered = cursor[:5] + ("A" if cursor[5] != "A" else "B") + cursor[6:]
    assert api_client.get(url, {"ordering": "title", "cursor": tampered}).status_code == 400
    other = api_client.get(url, {"ordering": "-title", "cursor": cursor})
    assert other.status_code == 400 and "ordering=title" in other.json()["cursor"][0]
    # A cursor of one list is no cursor of another.
    assert api_client.get(reverse("visit-list"), {"cursor": cursor}).status_code == 400


def test_unknown_ordering_and_page_numbers_are_400(api_client):
    """An ordering the list does not offer, and ?page=, are refused with a message saying what to do."""
    ArticleFactory()
    url = reverse("article-list")
    unknown = api_client.get(url, {"ordering": "body"})
    assert unknown.status_code == status.HTTP_400_BAD_REQUEST
    assert "-published_date" in unknown.json()["ordering"][0]
    assert api_client.get(url, {"ordering": "title,-created_at"}).status_code == status.HTTP_400_BAD_REQUEST
    paged = api_client.get(url, {"page": 2})
    assert paged.status_code == status.HTTP_400_BAD_REQUEST and "next" in paged.json()["page"][0]


def test_date_ranges_never_include_the_undated(api_client, rows_with_ties_and_nulls):
    """A range on the date a list sorts by (compared on its sort key) leaves out undated rows, whatever its bounds."""
    dated = set(Article.objects.exclude(published_date=None).values_list("pk", flat=True))
    for bounds in ({"published_before": "2030-01-01"}, {"published_after": "0001-01-01"}):
        ids, _ = walk(api_client, reverse("article-list"), {**bounds, "page_size": 2})
        assert set(ids) == dated, bounds
    ids, _ = walk(
        api_client,
        reverse("article-list"),
        {"published_after": "2016-01-01", "published_before": "2016-01-01", "page_size": 2},
    )
    assert ids == list(Article.objects.filter(title="Early").values_list("pk", flat=True))
    visits, _ = walk(api_client, reverse("visit-list"), {"date_before": "2030-01-01", "page_size": 2})
    assert set(visits) == set(Visit.objects.exclude(start_date=None).values_list("pk", flat=True))


def test_a_cursor_of_one_list_is_refused_by_another(api_client):
    ArticleFactory.create_batch(3)
    VisitFactory.create_batch(3)
    next_articles = api_client.get(reverse("article-list"), {"ordering": "title", "page_size": 1}).json()["next"]
    cursor = parse_qs(urlsplit(next_articles).query)["cursor"][0]
    response = api_client.get(reverse("visit-list"), {"ordering": "title", "page_size": 1, "cursor": cursor})
    assert response.status_code == status.HTTP_400_BAD_REQUEST and "cursor" in response.json()
