"""A parameter an endpoint does not take is a 400 naming those it takes, never silently ignored."""

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, ExpertFactory, QuoteFactory

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
