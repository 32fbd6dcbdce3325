"""/api/stats/timeline/: counts per period under any filter of the list, beside the corpus's volume."""

import datetime

import pytest
from django.urls import reverse

from corpus_app.models.dates import DatePrecision
from tests.factories import ArticleFactory, ExpertFactory, QuoteFactory

pytestmark = pytest.mark.django_db


def timeline(client, **params):
    response = client.get(reverse("stats-timeline"), params)
    assert response.status_code == 200, response.content[:300]
    return response.json()


def quote_on(day, speaker, precision=DatePrecision.DAY, text="We expect progress,"):
    article = ArticleFactory(
        published_date=day, published_date_precision=precision, body=f"He said: “{text}” and left."
    )
    return QuoteFactory(article=article, speaker=speaker, text=text)


@pytest.fixture
def two_speakers():
    analyst, other = ExpertFactory(), ExpertFactory()
    quote_on(datetime.date(2023, 1, 5), analyst)
    quote_on(datetime.date(2023, 3, 9), analyst)
    quote_on(datetime.date(2023, 3, 20), other)
    quote_on(datetime.date(2016, 1, 1), analyst, precision=DatePrecision.YEAR)
    quote_on(None, analyst, precision=DatePrecision.UNKNOWN)
    return analyst, other


def test_quotes_per_month_of_one_expert_with_the_corpus_volume_and_gaps_as_zeros(api_client, two_speakers):
    analyst, _ = two_speakers
    body = timeline(api_client, by="month", count="quotes", speaker=analyst.pk)
    assert [(p["period"], p["count"], p["total"], p["share"]) for p in body["periods"]] == [
        ("2023-01", 1, 1, 1.0),
        ("2023-02", 0, 0, None),
        ("2023-03", 1, 2, 0.5),
    ]
    assert body["periods"][2]["label"] == "March 2023"
    # Known only to the year: its own period, never January 2016; the undated apart.
    assert [(p["period"], p["label"], p["count"]) for p in body["less_precise"]] == [("2016", "2016, month unknown", 1)]
    assert body["undated"] == 1


def test_articles_per_year_filtered_by_outlet_and_per_day(api_client, two_speakers):
    article = ArticleFactory(published_date=datetime.date(2024, 6, 1))
    years = timeline(api_client, by="year", count="articles", outlet=article.outlet_id)
    assert [(p["period"], p["count"], p["total"]) for p in years["periods"]] == [("2024", 1, 1)]
    days = timeline(api_client, by="day", count="quotes", published_after="2023-03-01")
    assert [p["period"] for p in days["periods"]][0] == "2023-03-09" and len(days["periods"]) == 12
    assert days["less_precise"] == []  # 2016 is before the filter's first day


def test_what_the_timeline_does_not_take_is_refused(api_client):
    url = reverse("stats-timeline")
    assert "by" in api_client.get(url, {"by": "week"}).json()
    assert "speaker" in api_client.get(url, {"count": "articles", "speaker": 1}).json()  # not an article filter
    assert "cursor" in api_client.get(url, {"cursor": "x"}).json()
    assert api_client.get(url, {"published_after": "soon"}).status_code == 400


def test_a_span_of_more_periods_than_listed_is_refused(api_client):
    for year in (1900, 2020):
        quote_on(datetime.date(year, 1, 1), ExpertFactory())
    assert "by" in api_client.get(reverse("stats-timeline"), {"by": "day"}).json()
    assert timeline(api_client, by="month")["periods"][0]["period"] == "1900-01"


def test_the_admin_timeline_and_an_experts_page_chart_the_same_counts(admin_client, two_speakers):
    analyst, _ = two_speakers
    page = admin_client.get(reverse("admin:corpus_app_visit_timeline")).content.decode()
    assert 'id="quotes-per-month"' in page and "March 2023: 2 of 2 quotes" in page
    page = admin_client.get(reverse("admin:corpus_app_expert_change", args=[analyst.pk])).content.decode()
    assert 'id="expert-quotes-per-month"' in page and "March 2023: 1 of 2 quotes" in page
    assert "2016, month unknown (1)" in page and f"speaker={analyst.pk}" in page
