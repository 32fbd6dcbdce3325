"""?facet= on a list: each value's label, count under every filter of the request, and a link applying it."""

import datetime

import pytest
from django.urls import reverse

from corpus_app.models.dates import DatePrecision
from tests.factories import ArticleFactory, QuoteFactory, VisitFactory, sample_corpus

pytestmark = pytest.mark.django_db


def facets_of(client, name, params):
    response = client.get(reverse(f"{name}-list"), params)
    assert response.status_code == 200, response.content[:300]
    return response.json()["facets"]


def assert_every_link_lists_its_count(client, facets):
    """Following a value's link gives a list of exactly that many rows: the drill-down a researcher makes."""
    for facet in facets.values():
        for value in facet["values"]:
            if value["link"] is None:
                continue
            response = client.get(f"{value['link']}&count=true")
            assert response.status_code == 200, (value, response.content[:300])
            assert response.json()["count"] == value["count"], value


@pytest.mark.parametrize(
    ("name", "facets", "params"),
    [
        ("quote", "speaker,visit,outlet,kind,month,speaker_kind,article,relayed_by", {"search": "progress"}),
        ("article", "outlet,visit,expert,language,month", {"published_after": "2000-01-01"}),
        ("visit", "participant,city,kind,status,host_country,month", {}),
        ("expert", "kind,country", {}),
        ("visitparticipant", "visit,person,role", {}),
    ],
)
def test_each_facet_value_counts_the_rows_its_link_lists(api_client, name, facets, params):
    sample_corpus()
    counted = facets_of(api_client, name, {**params, "facet": facets})
    assert list(counted) == facets.split(",")
    assert all(facet["values"] for facet in counted.values()), counted
    assert_every_link_lists_its_count(api_client, counted)


def test_counts_are_under_the_current_filters_and_labelled(api_client):
    corpus = sample_corpus()
    analyst = corpus.experts[3]
    speakers = facets_of(api_client, "quote", {"facet": "speaker", "outlet": corpus.outlets[0].pk})["speaker"]["values"]
    in_turan = {value["label"]: value["count"] for value in speakers}
    assert in_turan == {analyst.name: 2, "Sergei Lavrov": 1, "Zahid Oruj": 1, "Sergey Shoigu": 1}
    assert speakers[0]["value"] == analyst.pk  # the most quoted first


def test_a_many_to_many_facet_counts_every_linked_record_under_a_filter_on_the_same_relation(api_client):
    corpus = sample_corpus()
    autumn, announced = corpus.visits[1], corpus.visits[2]
    visits = facets_of(api_client, "article", {"facet": "visit", "visit": autumn.pk})["visit"]["values"]
    assert {value["value"]: value["count"] for value in visits} == {autumn.pk: 2, announced.pk: 1}
    # Its link adds the value to the filter's: the articles covering both visits, as many as counted.
    both = next(value for value in visits if value["value"] == announced.pk)
    assert f"visit={autumn.pk}" in both["link"] and f"visit={announced.pk}" in both["link"]
    assert_every_link_lists_its_count(api_client, {"visit": {"values": visits}})


@pytest.mark.parametrize(
    ("name", "facet", "related"),
    [("article", "expert", "experts"), ("visit", "participant", "experts"), ("visit", "city", "cities")],
)
def test_every_many_to_many_facets_links_list_its_counts_under_its_own_filter(api_client, name, facet, related):
    """Under `?participant=<minister>`, a facet value's link lists the visits both took part in, as counted."""
    corpus = sample_corpus()
    for record in getattr(corpus, related):
        counted = facets_of(api_client, name, {"facet": facet, facet: record.pk})
        assert_every_link_lists_its_count(api_client, counted)


def test_a_value_already_filtered_on_links_to_the_list_as_it_is(api_client):
    corpus = sample_corpus()
    spring = corpus.visits[0]
    visits = facets_of(api_client, "article", {"facet": "visit", "visit": spring.pk})["visit"]["values"]
    assert [value["link"].count("visit=") for value in visits] == [1]


def test_a_text_facet_counts_a_value_whatever_its_case_as_its_filter_matches_it(api_client):
    ArticleFactory(section="World")
    ArticleFactory(section="world")
    ArticleFactory(section="Economy")
    ArticleFactory(section="İqtisadiyyat")  # Azerbaijani: LOWER and UPPER fold İ apart on PostgreSQL
    ArticleFactory(section="ΣΚΟΠΟΣ")
    ArticleFactory(section="σκοπος")
    sections = facets_of(api_client, "article", {"facet": "section"})["section"]
    counted = {value["value"].upper(): value["count"] for value in sections["values"]}
    assert counted["WORLD"] == 2 and counted["ECONOMY"] == 1
    assert {value["value"] for value in sections["values"]} <= {"World", "world", "Economy", "İqtisadiyyat",
                                                               "ΣΚΟΠΟΣ", "σκοπος"}  # fmt: skip
    assert_every_link_lists_its_count(api_client, {"section": sections})


def test_the_month_facet_lists_the_busiest_months_in_time_order_and_a_typo_years_link_works(api_client, monkeypatch):
    from corpus_app.api import facets as facet_module

    for day in (1, 2, 3):
        ArticleFactory(published_date=datetime.date(2023, 2, day))
    ArticleFactory.create_batch(2, published_date=datetime.date(2023, 3, 1))
    ArticleFactory(published_date=datetime.date(23, 5, 4))  # a typo for 2023
    months = facets_of(api_client, "article", {"facet": "month"})["month"]
    assert [value["value"] for value in months["values"]] == ["0023-05", "2023-02", "2023-03"]
    assert_every_link_lists_its_count(api_client, {"month": months})
    monkeypatch.setattr(facet_module, "MAX_MONTHS", 2)
    months = facets_of(api_client, "article", {"facet": "month"})["month"]
    assert [value["value"] for value in months["values"]] == ["2023-02", "2023-03"] and months["more"]


def test_a_link_that_would_pass_the_most_ids_a_filter_takes_is_left_out(api_client):
    from corpus_app.api.filters import MAX_ALL_OF

    visits = VisitFactory.create_batch(MAX_ALL_OF + 1)
    ArticleFactory().visits.set(visits)
    given = {"facet": "visit", "visit": [visit.pk for visit in visits[:MAX_ALL_OF]]}
    values = facets_of(api_client, "article", given)["visit"]["values"]
    links = {value["value"]: value["link"] for value in values}
    assert links[visits[-1].pk] is None and all(links[visit.pk] for visit in visits[:MAX_ALL_OF])


def test_facets_come_with_the_page_asked_and_its_links_leave_them_out(api_client):
    for _ in range(3):
        QuoteFactory()
    body = api_client.get(reverse("quote-list"), {"facet": "speaker", "page_size": 1}).json()
    assert "facets" in body and "facet=" not in body["next"]
    following = api_client.get(body["next"]).json()
    assert "facets" not in following and len(following["results"]) == 1


def test_facets_asked_in_csv_are_refused_not_left_out(api_client):
    QuoteFactory()
    response = api_client.get(reverse("quote-list"), {"facet": "speaker", "format": "csv"})
    assert response.status_code == 400  # the message, a row of the CSV asked for
    assert "facet" in response.content.decode() and "ask for them as JSON" in response.content.decode()


def test_a_date_known_only_to_its_year_is_its_own_month_bucket(api_client):
    ArticleFactory(published_date=datetime.date(2016, 1, 1), published_date_precision=DatePrecision.YEAR)
    ArticleFactory(published_date=datetime.date(2016, 1, 20))
    ArticleFactory(published_date=None, published_date_precision=DatePrecision.UNKNOWN)
    months = facets_of(api_client, "article", {"facet": "month"})["month"]
    assert [(v["value"], v["label"], v["count"]) for v in months["values"]] == [
        ("2016", "2016, month unknown", 1),
        ("2016-01", "January 2016", 1),
        ("undated", "date unknown", 1),
    ]
    assert_every_link_lists_its_count(api_client, {"month": months})
    assert api_client.get(reverse("article-list"), {"month": "2016-13"}).status_code == 400


def test_a_facet_a_list_does_not_have_is_refused_naming_its_facets(api_client):
    message = api_client.get(reverse("quote-list"), {"facet": "speaker,colour"}).json()["facet"][0]
    assert "colour" in message and "speaker" in message and "month" in message
    assert api_client.get(reverse("outlet-list"), {"facet": "country"}).status_code == 400  # outlets have none


def test_facets_cost_two_queries_each_however_many_rows(api_client, django_assert_max_num_queries):
    for _ in range(3):
        QuoteFactory()
    url = reverse("quote-list")
    api_client.get(url, {"facet": "speaker,outlet"})  # warm: the change stamp, the content types
    with django_assert_max_num_queries(20) as few:
        api_client.get(url, {"facet": "speaker,outlet"})
    for _ in range(10):
        QuoteFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = api_client.get(url, {"facet": "speaker,outlet"}).json()
    assert sum(value["count"] for value in body["facets"]["speaker"]["values"]) == 13


def test_the_whole_list_counted_from_kept_counts_equals_counting_its_rows():
    """An unfiltered list reads the count columns (counts.py) instead of grouping rows: the same answer."""
    from corpus_app.api.facets import FACETS

    sample_corpus()
    ArticleFactory(outlet=None, published_date=datetime.date(2016, 1, 1), published_date_precision=DatePrecision.YEAR)
    QuoteFactory(article__published_date=None, article__published_date_precision=DatePrecision.UNKNOWN)
    checked = 0
    for model, facets in FACETS.items():
        for facet in facets:
            if facet.whole is None:
                continue
            rows = model.objects.for_listing()
            counted = {row["key"]: row["n"] for row in facet.count(rows) if row["n"]}
            assert {row["key"]: row["n"] for row in facet.whole()} == counted, facet.name
            checked += 1
    assert checked >= 6


@pytest.mark.postgres
def test_a_facet_not_counted_within_the_budget_says_so_and_the_page_stands(api_client, settings, monkeypatch):
    """A facet slower than the facets' time budget is cancelled alone: the page, and the facets counted
    before it, stand; those after it find no time left; the request's own statement timeout is back."""
    from django.db import connection
    from django.db.models import Count, F

    from corpus_app.api import facets as facet_module
    from corpus_app.models import Quote

    def slow(rows):
        return rows.order_by().values(key=F("speaker")).annotate(n=Count("pk")).extra(where=["pg_sleep(1) IS NOT NULL"])

    kind, speaker = (next(f for f in facet_module.FACETS[Quote] if f.name == name) for name in ("kind", "speaker"))
    slow_speaker = facet_module.Facet("speaker", slow, speaker.label)
    monkeypatch.setitem(facet_module.FACETS, Quote, (kind, slow_speaker, *facet_module.FACETS[Quote][2:]))
    settings.API_FACETS_TIME_BUDGET_MS = 300
    QuoteFactory()
    body = api_client.get(reverse("quote-list"), {"facet": "kind,speaker,month"}).json()
    assert len(body["results"]) == 1
    assert body["facets"]["kind"]["counted"] is True and body["facets"]["kind"]["values"]
    for name in ("speaker", "month"):
        assert body["facets"][name]["counted"] is False and body["facets"][name]["values"] == []
        assert "Not counted within the facets' 300 ms" in body["facets"][name]["detail"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT extract(epoch FROM current_setting('statement_timeout')::interval) * 1000")
        assert cursor.fetchone()[0] == settings.API_STATEMENT_TIMEOUT_MS


def test_facets_asked_again_come_from_the_cache_until_the_corpus_changes(
    api_client, count_queries, django_capture_on_commit_callbacks, settings
):
    """The same question in the same state of the corpus is not counted again; any write gives new counts."""
    settings.API_FACETS_CACHE_SECONDS = 3600  # off in the suite (pytest.ini): here every write commits
    with django_capture_on_commit_callbacks(execute=True):  # as committed: the stamp moves
        corpus = sample_corpus()
    url, asked = reverse("quote-list"), {"facet": "speaker,outlet", "kind": "direct"}
    api_client.get(reverse("outlet-list"))  # warm: the content types, the change stamp's table
    counting = count_queries(lambda: api_client.get(url, asked))
    first = api_client.get(url, asked).json()["facets"]
    again = count_queries(lambda: api_client.get(url, {**asked, "page_size": 2}))  # paging selects no other rows
    assert again <= counting - 2  # neither facet's GROUP BY

    def without_links(facets):
        return {name: [(v["value"], v["label"], v["count"]) for v in f["values"]] for name, f in facets.items()}

    assert without_links(api_client.get(url, {**asked, "page_size": 2}).json()["facets"]) == without_links(first)
    with django_capture_on_commit_callbacks(execute=True):  # the stamp moves once a write commits
        QuoteFactory(speaker=corpus.experts[0], kind="direct")
    speakers = api_client.get(url, asked).json()["facets"]["speaker"]["values"]
    assert {v["value"]: v["count"] for v in speakers}[corpus.experts[0].pk] == 1 + {
        v["value"]: v["count"] for v in first["speaker"]["values"]
    }.get(corpus.experts[0].pk, 0)
    # Another filter, or the same on a related list, is another question.
    other = api_client.get(url, {"facet": "speaker", "kind": "paraphrase"}).json()["facets"]["speaker"]
    assert other != first["speaker"]
    expert = corpus.experts[3]
    related = api_client.get(reverse("expert-quotes", args=[expert.pk]), {"facet": "speaker"}).json()["facets"]
    assert [v["value"] for v in related["speaker"]["values"]] == [expert.pk]
