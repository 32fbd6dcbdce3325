"""A parameter an endpoint does not take is a 400 naming those it takes, never silently ignored."""

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, CityFactory, ExpertFactory, QuoteFactory, VisitFactory

pytestmark = pytest.mark.django_db


def refused(response, name):
    assert response.status_code == 400, response.content[:300]
    (message,) = response.json()[name]
    return message


def test_a_filter_a_list_does_not_have_is_refused_naming_those_it_has(api_client):
    ExpertFactory.create_batch(2)
    message = refused(api_client.get(reverse("expert-list"), {"visit": 1}), "visit")
    assert "It takes:" in message and "kind" in message and "affiliation" in message


def test_a_misspelt_filter_is_refused(api_client):
    ArticleFactory()
    assert "published_after" in refused(
        api_client.get(reverse("article-list"), {"updated_after": "2020-01-01"}), "updated_after"
    )


def test_every_filter_a_list_documents_is_taken(api_client):
    article = ArticleFactory()
    QuoteFactory(article=article)
    params = {"published_after": "2000-01-01", "published_before": "2100-01-01", "ordering": "-published_date",
              "search": "minister", "page_size": 5, "count": "true", "format": "json", "language": "en"}  # fmt: skip
    assert api_client.get(reverse("article-list"), params).status_code == 200
    assert api_client.get(reverse("visitparticipant-list"), {"search": "Lavrov", "role": "visitor"}).status_code == 200


def test_a_record_takes_only_format_and_a_related_list_what_its_records_list_takes(api_client):
    expert = ExpertFactory()
    assert refused(api_client.get(reverse("expert-detail", args=[expert.pk]), {"x": 1}), "x").endswith("format.")
    quotes = reverse("expert-quotes", args=[expert.pk])
    assert "speaker_kind" in refused(api_client.get(quotes, {"role": "visitor"}), "role")
    assert api_client.get(quotes, {"ordering": "-created_at", "page_size": 2}).status_code == 200


def test_a_related_list_honours_the_filters_and_search_of_its_records_list(api_client):
    expert = ExpertFactory()
    direct = QuoteFactory(speaker=expert, text="We expect progress on the corridor,")
    QuoteFactory(speaker=expert, text="The talks went well,", kind="paraphrase")
    QuoteFactory(text="We expect progress on the corridor,")  # someone else's: never in this expert's list
    quotes = reverse("expert-quotes", args=[expert.pk])

    def ids(params):
        response = api_client.get(quotes, params)
        assert response.status_code == 200, response.content[:300]
        return [row["id"] for row in response.json()["results"]]

    assert ids({"kind": "direct"}) == [direct.pk]
    assert ids({"search": "corridor"}) == [direct.pk]
    assert len(ids({"ordering": "-created_at"})) == 2
    assert api_client.get(quotes, {"kind": "bogus"}).status_code == 400


def test_search_takes_only_its_own(api_client):
    assert "q" in refused(api_client.get(reverse("search"), {"q": "Lavrov", "speaker": 1}), "speaker")


def test_a_method_a_list_does_not_take_is_still_405(curator_client):
    assert curator_client.put(reverse("expert-list") + "?bogus=1", {}, format="json").status_code == 405


@pytest.mark.parametrize(
    ("route", "query"),
    [
        ("quote-list", "speaker=1&speaker=2"),
        ("quote-list", "search=minister&search=progress"),
        ("article-list", "ordering=title&ordering=-title"),
        ("expert-list", "page_size=1&page_size=50"),
        ("search", "q=baku&q=ganja"),
        ("deletions", "since=2020-01-01T00:00:00Z&since=2021-01-01T00:00:00Z"),
        ("stats-timeline", "by=day&by=year"),
    ],
)
def test_a_parameter_given_twice_is_refused_not_read_once(api_client, route, query):
    """`?speaker=1&speaker=2` would answer speaker 2's quotes alone: one of the two questions, silently."""
    name = query.split("=")[0]
    assert "Given 2 times" in refused(api_client.get(f"{reverse(route)}?{query}"), name)


def test_parameters_whose_values_add_up_may_be_repeated(api_client):
    QuoteFactory()
    assert api_client.get(f"{reverse('quote-list')}?facet=speaker&facet=month&fields=id&fields=text").status_code == 200
    assert api_client.get(f"{reverse('article-list')}?visit=1&visit=2").status_code == 200
    assert api_client.get(f"{reverse('search')}?q=minister&type=quote&type=article").status_code == 200


def test_a_many_to_many_filter_repeated_lists_the_rows_related_to_all(api_client):
    first, second = VisitFactory(), VisitFactory()
    both, one = ArticleFactory(), ArticleFactory()
    both.visits.set([first, second])
    one.visits.set([first])
    listed = api_client.get(reverse("article-list"), {"visit": [first.pk, second.pk]}).json()["results"]
    assert [row["id"] for row in listed] == [both.pk]
    too_many = {"visit": list(range(1, 13))}
    assert "At most 10" in refused(api_client.get(reverse("article-list"), too_many), "visit")


@pytest.mark.parametrize("spelt", ["1_0", "1.0", "+1", " 1", "١", "1e1", "0x1"])
def test_an_id_is_digits_alone(api_client, spelt):
    """Python reads `1_0` as 10 and `١` as 1: each would answer another record's rows than the client meant."""
    QuoteFactory()
    assert "digits" in refused(api_client.get(reverse("quote-list"), {"speaker": spelt}), "speaker")
    assert "digits" in refused(api_client.get(reverse("article-list"), {"visit": spelt}), "visit")
    assert "digits" in refused(api_client.get(reverse("search"), {"q": "baku", "expert": spelt}), "expert")
    assert refused(api_client.get(reverse("quote-list"), {"page_size": spelt}), "page_size")


def test_a_record_path_takes_ascii_digits_alone(api_client):
    quote = QuoteFactory(pk=1)
    assert api_client.get(reverse("quote-detail", args=[quote.pk])).status_code == 200
    assert api_client.get("/api/quotes/\u0661/").status_code == 404  # an Arabic-Indic one


@pytest.mark.parametrize(("route", "name"), [("expert-list", "country"), ("city-list", "country"),
                                             ("visit-list", "host_country")])  # fmt: skip
def test_every_country_filter_reads_a_code_in_either_case_and_refuses_one_no_country_has(api_client, route, name):
    ExpertFactory(country="AZ")
    CityFactory(country="AZ")
    VisitFactory(host_country="AZ")
    upper = api_client.get(reverse(route), {name: "AZ"}).json()["results"]
    assert upper and api_client.get(reverse(route), {name: "az"}).json()["results"] == upper
    assert "country code" in refused(api_client.get(reverse(route), {name: "ZZ"}), name)


@pytest.mark.parametrize(
    "url", ["/api/quotes/", "/api/search/?q=minister", "/api/deletions/?since=2020-01-01T00:00:00Z"]
)
def test_a_page_size_above_the_most_is_the_most_everywhere(api_client, url):
    """Lists always gave the most for more; search and the deletions feed answered 400."""
    QuoteFactory()
    joiner = "&" if "?" in url else "?"
    assert api_client.get(f"{url}{joiner}page_size=100000").status_code == 200


def test_a_history_page_size_above_the_most_is_the_most(curator_client):
    quote = QuoteFactory()
    assert curator_client.get(f"/api/quotes/{quote.pk}/history/?page_size=100000").status_code == 200


@pytest.mark.parametrize(("route", "name"), [("quote-list", "count"), ("quote-export", "bom")])
def test_a_yes_or_no_parameter_takes_true_false_1_0_or_nothing_and_says_so(api_client, route, name):
    QuoteFactory()
    for value in ("true", "TRUE", "1", "false", "0", ""):
        assert api_client.get(reverse(route), {name: value}).status_code == 200, value
    message = refused(api_client.get(reverse(route), {name: "maybe"}), name)
    assert "`true` (or 1)" in message and "`false` (or 0) or nothing" in message


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ({"published_after": "2023-02-30"}, {"published_after"}),
        ({"published_after": "2023-02-01", "published_before": "soon"}, {"published_before"}),
    ],
)
def test_a_wrong_date_of_a_range_is_refused_under_the_parameter_sent(api_client, query, named):
    """There is no parameter `published`: the error names the one of the two that is wrong."""
    response = api_client.get(reverse("article-list"), query)
    assert response.status_code == 400 and set(response.json()) == named
