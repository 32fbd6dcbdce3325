"""/api/stats/timeline/: counts per period under any filter of the list, beside the corpus's volume."""

import datetime

import pytest
from django.urls import reverse
from django_filters import rest_framework as filters

from corpus_app.api.filters import QuoteFilter
from corpus_app.api.query_parameters import _list_parameters
from corpus_app.models.dates import DatePrecision
from corpus_app.services import counts_over_time
from tests.api_responses import read_csv
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


def test_as_csv_one_row_per_period_with_the_less_precise_and_the_undated(api_client, two_speakers):
    """`format=csv` (or Accept: text/csv): a row per period, then the less precise and the undated, each
    saying in `section` which part of the JSON answer it is; a file to save."""
    analyst, _ = two_speakers
    response = api_client.get(reverse("stats-timeline"), {"by": "month", "speaker": analyst.pk, "format": "csv"})
    rows = read_csv(response)
    assert list(rows[0]) == ["period", "label", "count", "total", "share", "section"]
    assert [tuple(row.values()) for row in rows] == [
        ("2023-01", "January 2023", "1", "1", "1.0", "periods"),
        ("2023-02", "February 2023", "0", "0", "", "periods"),
        ("2023-03", "March 2023", "1", "2", "0.5", "periods"),
        ("2016", "2016, month unknown", "1", "1", "1.0", "less_precise"),
        ("undated", "date unknown", "1", "1", "1.0", "undated"),
    ]
    assert response["Content-Disposition"].startswith('attachment; filename="stats-timeline-')
    accepted = api_client.get(reverse("stats-timeline"), {"by": "month"}, HTTP_ACCEPT="text/csv")
    assert [row["period"] for row in read_csv(accepted)] == ["2023-01", "2023-02", "2023-03", "2016", "undated"]


def test_as_csv_the_rows_before_and_after_the_periods_are_rows_too(api_client, monkeypatch):
    """Beyond MAX_PERIODS, `before` and `after` are a row each, in time order around the periods."""
    monkeypatch.setattr(counts_over_time, "MAX_PERIODS", 10)
    for day in (datetime.date(1023, 5, 4), datetime.date(2024, 1, 1), datetime.date(2024, 1, 2)):
        ArticleFactory(published_date=day)
    ArticleFactory(published_date=datetime.date(2204, 1, 1))
    rows = read_csv(api_client.get(reverse("stats-timeline"), {"by": "day", "count": "articles", "format": "csv"}))
    assert [(row["section"], row["period"], row["label"], row["count"]) for row in rows] == [
        ("before", "1023-05-04/1023-05-04", "4 May 1023", "1"),
        ("periods", "2024-01-01", "1 January 2024", "1"),
        ("periods", "2024-01-02", "2 January 2024", "1"),
        ("after", "2204-01-01/2204-01-01", "1 January 2204", "1"),
        ("undated", "undated", "date unknown", "0"),
    ]
    assert rows[-1]["share"] == ""  # no undated article in the corpus: no share


def test_what_the_timeline_does_not_take_is_refused(api_client):
    url = reverse("stats-timeline")
    assert "by" in api_client.get(url, {"by": "week"}).json()
    assert "speaker" in api_client.get(url, {"count": "articles", "speaker": 1}).json()  # not an article filter
    assert "cursor" in api_client.get(url, {"cursor": "x"}).json()
    assert api_client.get(url, {"published_after": "soon"}).status_code == 400


def counted_in(body) -> int:
    """Every row an answer counts, in whichever part holds it."""
    outside = [body[side]["count"] for side in ("before", "after") if body[side]]
    return sum(p["count"] for p in body["periods"] + body["less_precise"]) + sum(outside) + body["undated"]


def test_a_typo_year_is_counted_before_the_periods_instead_of_refusing_the_corpus(api_client, admin_client):
    """One article dated 1023 among 2016–2024 ones: by day, the periods cover the real years and `before`
    names the typo's date; by month it fits, and a wider typo (the year 23) is set apart the same way, in
    the admin's chart too."""
    for day in (datetime.date(2016, 2, 1), datetime.date(2020, 6, 15), datetime.date(2024, 11, 30)):
        ArticleFactory(published_date=day)
    ArticleFactory(published_date=datetime.date(1023, 5, 4))
    ArticleFactory(published_date=datetime.date(1023, 1, 1), published_date_precision=DatePrecision.YEAR)
    ArticleFactory(published_date=datetime.date(2020, 3, 1), published_date_precision=DatePrecision.MONTH)
    days = timeline(api_client, by="day", count="articles")
    assert (days["periods"][0]["period"], days["periods"][-1]["period"]) == ("2016-02-01", "2024-11-30")
    assert days["before"] == {
        "period": "1023/1023-05-04", "label": "1023, month unknown to 4 May 1023", "count": 2, "total": 2, "share": 1.0
    }  # fmt: skip
    assert days["after"] is None
    assert [p["period"] for p in days["less_precise"]] == ["2020-03"]  # within the periods covered
    assert counted_in(days) == 6
    months = timeline(api_client, by="month", count="articles")
    assert months["periods"][0]["period"] == "1023-05" and months["before"] is None  # 12,019 months: all listed
    ArticleFactory(published_date=datetime.date(23, 5, 4))
    months = timeline(api_client, by="month", count="articles")
    assert months["periods"][0]["period"] == "1023-05"  # 1023 to 2024 hold more than year 23 alone
    assert (months["before"]["period"], months["before"]["label"]) == ("0023-05/0023-05", "May 0023")
    page = admin_client.get(reverse("admin:corpus_app_visit_timeline")).content.decode()
    assert "before it, May 0023 (1)" in page


def test_the_periods_covered_are_the_stretch_holding_the_most_counted_rows(api_client, monkeypatch):
    """At most MAX_PERIODS periods: the stretch with the most of the rows counted (the filtered ones), the
    latest of equals; a typo in the future is counted `after`; `total` is the corpus's volume there."""
    monkeypatch.setattr(counts_over_time, "MAX_PERIODS", 10)
    analyst, other = ExpertFactory(), ExpertFactory()
    quote_on(datetime.date(2000, 1, 1), analyst)
    quote_on(datetime.date(2000, 1, 10), other)
    body = timeline(api_client, by="day")  # the first to the last counted: exactly MAX_PERIODS
    assert len(body["periods"]) == 10 and body["before"] is None and body["after"] is None
    quote_on(datetime.date(2000, 1, 11), other)
    body = timeline(api_client, by="day")  # two rows from 1 January as from 10 January: the latest
    assert [p["period"] for p in body["periods"]] == ["2000-01-10", "2000-01-11"]
    assert (body["before"]["period"], body["before"]["count"]) == ("2000-01-01/2000-01-01", 1)
    quote_on(datetime.date(2204, 1, 1), analyst)
    body = timeline(api_client, by="day")
    assert [p["period"] for p in body["periods"]] == ["2000-01-10", "2000-01-11"]
    assert body["after"] == {"period": "2204-01-01/2204-01-01", "label": "1 January 2204", "count": 1, "total": 1,
                             "share": 1.0}  # fmt: skip
    body = timeline(api_client, by="day", speaker=analyst.pk)
    assert [p["period"] for p in body["periods"]] == ["2204-01-01"]
    assert (body["before"]["count"], body["before"]["total"], body["before"]["share"]) == (1, 3, 0.333333)
    assert counted_in(body) == 2


def test_the_admin_timeline_and_an_experts_page_chart_the_same_counts(admin_client, two_speakers):
    analyst, _ = two_speakers
    page = admin_client.get(reverse("admin:corpus_app_visit_timeline")).content.decode()
    assert 'id="quotes-per-month"' in page and "March 2023: 2 of 2 quotes" in page
    page = admin_client.get(reverse("admin:corpus_app_expert_change", args=[analyst.pk])).content.decode()
    assert 'id="expert-quotes-per-month"' in page and "March 2023: 1 of 2 quotes" in page
    assert "2016, month unknown (1)" in page and f"speaker={analyst.pk}" in page


# What a list's schema has beside its filters and search: paging, shape, facets and format.
NOT_FILTERS = {"cursor", "page_size", "count", "ordering", "facet", "fields", "expand", "format"}


def get_parameters(schema, path) -> dict[str, dict]:
    return {parameter["name"]: parameter for parameter in schema["paths"][path]["get"]["parameters"]}


def test_the_schema_lists_the_filters_of_both_lists_each_saying_with_which_count(api_client):
    """Each filter and `search` of /api/quotes/ and /api/articles/, as their schemas give it, said to
    apply with the `count` whose list has it."""
    schema = api_client.get(reverse("schema"), {"format": "json"}).json()
    timeline_parameters = get_parameters(schema, "/api/stats/timeline/")
    lists = {counted: get_parameters(schema, f"/api/{counted}/") for counted in ("quotes", "articles")}
    filters_of = {counted: set(parameters) - NOT_FILTERS for counted, parameters in lists.items()}
    assert set(timeline_parameters) == {"by", "count", "format"} | filters_of["quotes"] | filters_of["articles"]
    for name in filters_of["quotes"] | filters_of["articles"]:
        counts = [counted for counted in lists if name in filters_of[counted]]
        schemas = [lists[counted][name]["schema"] for counted in counts]
        alike = all(schema == schemas[0] for schema in schemas)  # articles' `visit` takes several ids, quotes' one
        assert timeline_parameters[name]["schema"] == (schemas[0] if alike else {"anyOf": schemas}), name
        assert all(f"`count={counted}`" in timeline_parameters[name]["description"] for counted in counts), name
    assert timeline_parameters["speaker"]["description"] == (
        "Only with `count=quotes` (with another `count`, a 400): Expert id."
    )
    assert timeline_parameters["outlet"]["description"] == (
        "With `count=quotes`: Id of the outlet of the quoting article.\n\nWith `count=articles`: Outlet id."
    )
    assert timeline_parameters["kind"]["description"].startswith("Only with `count=quotes`")
    assert timeline_parameters["visit"]["description"] == (
        "With `count=quotes`: Visit id.\n\nWith `count=articles`: Visit id; repeated (`visit=3&visit=5`), articles "
        "covering all of them."
    )


@pytest.fixture
def quote_filter_tone(monkeypatch):
    """QuoteFilter with one filter more, `tone`, as a developer would add it."""
    with monkeypatch.context() as patch:
        tone = filters.CharFilter(field_name="text", lookup_expr="icontains", help_text="Words in the quote.")
        patch.setitem(QuoteFilter.base_filters, "tone", tone)
        _list_parameters.cache_clear()  # a list's parameters are cached per FilterSet
        yield
    _list_parameters.cache_clear()


def test_a_filter_added_to_a_list_is_in_the_timelines_schema_and_taken(api_client, two_speakers, quote_filter_tone):
    """The schema's filters are the FilterSets', not a copy: one added to QuoteFilter is documented for
    `count=quotes` and taken by the strict-parameter check, with `count=quotes` only."""
    schema = api_client.get(reverse("schema"), {"format": "json"}).json()
    assert get_parameters(schema, "/api/stats/timeline/")["tone"]["description"] == (
        "Only with `count=quotes` (with another `count`, a 400): Words in the quote."
    )
    assert timeline(api_client, by="year", tone="nothing like it")["periods"] == []
    refused = api_client.get(reverse("stats-timeline"), {"count": "articles", "tone": "x"})
    assert refused.status_code == 400 and "tone" in refused.json()
