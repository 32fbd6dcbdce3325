"""`?fields=` thins a read and `?expand=` embeds related records in full (corpus_app/api/shapes.py)."""

import csv
import io

import pytest
from django.db import connection
from django.http import QueryDict
from django.urls import reverse
from rest_framework.serializers import ModelSerializer

from corpus_app.api import serializers
from corpus_app.api.shape_schema import field_names, field_names_with_expand
from corpus_app.api.shapes import answer_shape, shaped_queryset
from corpus_app.models import Expert, Quote
from tests.factories import ExpertFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus_with_relays(sample_corpus):
    """The sample corpus, each quote relayed by someone, so that every relation a quote expands has rows."""
    Quote.objects.update(relayed_by=ExpertFactory(name="Relaying Analyst"))
    return sample_corpus


def test_fields_thin_a_record_and_a_list(api_client, sample_corpus):
    """Only the fields named, in the usual order; a dotted name keeps one field of an embedded record."""
    quote = sample_corpus.quote
    response = api_client.get(reverse("quote-detail", args=[quote.pk]), {"fields": "speaker.name,text,id"})
    assert response.json() == {"id": quote.pk, "text": quote.text, "speaker": {"name": quote.speaker.name}}
    assert response["ETag"].startswith(f'"{quote.version}.')  # If-Match still names the version read

    page = api_client.get(reverse("article-list"), {"fields": ["visits.slug,title", "id"]}).json()  # or repeated
    assert page["next"] is None and len(page["results"]) == 4
    assert all(list(article) == ["id", "title", "visits"] for article in page["results"])
    assert all(set(visit) == {"slug"} for article in page["results"] for visit in article["visits"])


def test_unknown_names_are_a_400_naming_the_valid_ones(api_client, curator_client, sample_corpus):
    url = reverse("quote-list")
    unknown = api_client.get(url, {"fields": "id,speeches", "expand": "text"})
    assert unknown.status_code == 400
    assert "speeches" in unknown.json()["fields"][0] and "id, text, kind, speaker" in unknown.json()["fields"][0]
    assert "speaker, relayed_by, article, visit" in unknown.json()["expand"][0]
    brief_only = api_client.get(url, {"fields": "speaker.affiliation"}).json()["fields"][0]
    assert "id, slug, name" in brief_only and "expand=speaker" in brief_only
    assert api_client.get(url, {"fields": "speaker.affiliation", "expand": "speaker"}).status_code == 200
    assert "expand" in api_client.get(reverse("expert-list"), {"expand": "quotes"}).json()  # experts expand nothing
    # A write answers in the full read form and takes neither; it changes nothing.
    expert = sample_corpus.expert
    patch = curator_client.patch(f"{reverse('expert-detail', args=[expert.pk])}?fields=id", {"role": "x"})
    assert patch.status_code == 400 and Expert.objects.get(pk=expert.pk).role == expert.role


def test_expand_embeds_the_related_records_as_their_own_endpoints_write_them(api_client, corpus_with_relays):
    quote = Quote.objects.filter(visit__isnull=False).first()
    url = reverse("quote-detail", args=[quote.pk])
    expanded = api_client.get(url, {"expand": "speaker,article,visit"}).json()
    assert expanded["speaker"] == api_client.get(reverse("expert-detail", args=[quote.speaker_id])).json()
    assert expanded["article"] == api_client.get(reverse("article-detail", args=[quote.article_id])).json()
    assert expanded["visit"] == api_client.get(reverse("visit-detail", args=[quote.visit_id])).json()
    assert set(expanded["relayed_by"]) == {"id", "slug", "name"}  # not expanded: brief
    # An expanded relation is in the answer even if `fields` leaves it out, and can be thinned in turn.
    thinned = api_client.get(url, {"fields": "id,article.body", "expand": "speaker,article"}).json()
    assert list(thinned) == ["id", "speaker", "article"] and thinned["article"] == {"body": quote.article.body}
    assert "affiliation" in thinned["speaker"]


# route, record of the sample corpus (None: a list), query, SQL statements (see test_api_query_counts.py)
QUERIES = [
    # + experts, experts, articles (+ their visits), visits (+ cities, latest articles, participants)
    ("quote-list", None, {"expand": "speaker,relayed_by,article,visit"}, 12),
    ("quote-detail", "quote", {"expand": "speaker,relayed_by,article,visit"}, 8),  # a quote of no one visit
    ("expert-quotes", "expert", {"expand": "article", "fields": "id,article.title"}, 6),  # + articles only
    # + outlets, visits (+ cities, latest articles, participants); the visits' brief prefetch is dropped
    ("article-list", None, {"expand": "outlet,visits", "ordering": "title"}, 9),
    ("article-list", None, {"fields": "id,title,body"}, 4),  # no visits read
    ("visit-list", None, {"expand": "cities", "fields": "title,cities"}, 5),  # cities in full, nothing else
    ("visitparticipant-list", None, {"expand": "visit,person"}, 9),  # + visits (+ 3), experts
]


@pytest.mark.parametrize("route, record, query, queries", QUERIES, ids=[f"{r}-{q}" for r, _, q, _ in QUERIES])
def test_shaped_reads_run_a_fixed_number_of_queries(
    api_client, corpus_with_relays, count_queries, route, record, query, queries
):
    """Expanding prefetches each relation once per page (through its model's for_listing), whatever the page size."""
    url = reverse(route, args=[getattr(corpus_with_relays, record).pk]) if record else reverse(route)
    queries += 1 if connection.vendor == "postgresql" else 0  # the statement bounding the request's transaction
    if route.endswith("-detail"):
        assert count_queries(lambda: api_client.get(url, query)) == queries
        return
    for page_size in (1, 500):
        assert count_queries(lambda page_size=page_size: api_client.get(url, {**query, "page_size": page_size})) == (
            queries
        ), f"page_size={page_size}"


def test_csv_columns_follow_the_fields_and_expansions(api_client, sample_corpus):
    def header(query):
        response = api_client.get(reverse("quote-list"), {**query, "format": "csv"})
        return next(csv.reader(io.StringIO(response.content.decode())))

    assert header({"fields": "text,id"}) == ["id", "text"]
    assert header({"fields": "id,speaker.name,article.outlet.name", "expand": "article"}) == [
        "id", "speaker.name", "article.outlet.name"
    ]  # fmt: skip
    assert "speaker.affiliation" in header({"fields": "id", "expand": "speaker"})


def test_answers_of_different_shapes_never_share_an_etag(api_client, sample_corpus):
    url = reverse("quote-list")
    tags = {api_client.get(url, query)["ETag"] for query in ({}, {"fields": "id"}, {"expand": "speaker"})}
    assert len(tags) == 3
    thin = api_client.get(url, {"fields": "id"})["ETag"]
    assert api_client.get(url, {"fields": "id,text"}, HTTP_IF_NONE_MATCH=thin).status_code == 200
    assert api_client.get(url, {"fields": "id"}, HTTP_IF_NONE_MATCH=thin).status_code == 304


@pytest.mark.parametrize(
    "serializer_class, query",
    [
        (serializers.QuoteSerializer, {"fields": "id,speaker.name,article", "expand": "visit,relayed_by"}),
        (serializers.ArticleSerializer, {"fields": "title,visits.cities.name,outlet.notes", "expand": "outlet,visits"}),
        (serializers.VisitSerializer, {"fields": "participants.person.name,cities", "expand": "cities"}),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_a_shaped_plan_writes_what_drf_would(corpus_with_relays, serializer_class, query):
    """The compiled plan of a shape (compiled.py) gives DRF's own output for the same fields."""
    shape = answer_shape(serializer_class, _params(query))
    model = serializer_class.Meta.model
    for record in shaped_queryset(model.objects.for_listing(), serializer_class, shape):
        serializer = serializer_class(context={})
        serializer.shape = shape
        assert serializer.to_representation(record) == ModelSerializer.to_representation(serializer, record)


def test_the_schema_names_what_each_read_takes(api_client):
    """Every name the schema lists for `fields` is valid, with or without every expansion it lists for `expand`."""
    schema = api_client.get(reverse("schema"), {"format": "json"}).json()
    quotes = {p["name"]: p for p in schema["paths"]["/api/quotes/"]["get"]["parameters"]}
    assert "speaker.name" in quotes["fields"]["schema"]["items"]["enum"]
    assert quotes["expand"]["schema"]["items"]["enum"] == ["speaker", "relayed_by", "article", "visit"]
    assert "expand" not in {p["name"] for p in schema["paths"]["/api/experts/{id}/"]["get"]["parameters"]}
    answer = schema["paths"]["/api/quotes/{id}/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer == {"anyOf": [{"$ref": "#/components/schemas/Quote"}, {"$ref": "#/components/schemas/QuoteShaped"}]}
    assert "required" not in schema["components"]["schemas"]["QuoteShaped"]  # it holds what was asked for
    assert "speaker.quote_count" in quotes["fields"]["schema"]["items"]["enum"]  # valid with expand=speaker
    for serializer_class in (serializers.QuoteSerializer, serializers.ArticleSerializer, serializers.VisitSerializer):
        every_name = ",".join(field_names_with_expand(serializer_class))
        answer_shape(serializer_class, _params({"fields": every_name, "expand": ",".join(serializer_class.expandable)}))
        answer_shape(serializer_class, _params({"fields": ",".join(field_names(serializer_class))}))


def test_the_browsable_api_shows_a_shaped_list_with_its_forms(client, curator, sample_corpus):
    """Its forms are built as the write they submit (the write serializer), which takes no shape."""
    client.force_login(curator)
    response = client.get(
        reverse("quote-list"), {"fields": "id,speaker.name", "expand": "article"}, HTTP_ACCEPT="text/html"
    )
    assert response.status_code == 200 and b"<form" in response.content


def _params(query: dict) -> QueryDict:
    params = QueryDict(mutable=True)
    params.update(query)
    return params
