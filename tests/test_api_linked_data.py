"""JSON-LD (schema.org) answers and the corpus dump, read by a JSON-LD processor that may fetch nothing."""

import datetime
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from pyld import jsonld

from corpus_app.api.linked_data import CONTEXT
from corpus_app.models import Article, City, DatePrecision, Expert, Outlet, Quote, Visit, VisitParticipant
from tests.factories import ArticleFactory, CityFactory, ExpertFactory, OutletFactory, QuoteFactory, VisitFactory
from tests.test_api_query_counts import QUERIES, bounds, is_list

pytestmark = pytest.mark.django_db

LD = "application/ld+json"
S = "https://schema.org/"
HYDRA = "http://www.w3.org/ns/hydra/core#"
SERVER = "http://testserver"


def refuse_fetch(url, options=None):
    raise AssertionError(f"the JSON-LD processor fetched {url}: the context must be inline")


OFFLINE = {"documentLoader": refuse_fetch}


def graph(*documents) -> dict[str, dict]:
    """The nodes of `documents` merged by @id, as a JSON-LD processor reads them (full IRIs, values in lists)."""
    # One document as it is: in a list, a document of one @graph would become a named graph of its own.
    read_as = documents[0] if len(documents) == 1 else list(documents)
    return {node["@id"]: node for node in jsonld.flatten(read_as, None, OFFLINE)}


def ids(node: dict, term: str) -> set[str]:
    return {value["@id"] for value in node.get(S + term, [])}


def values(node: dict, term: str) -> list:
    return [value["@value"] for value in node.get(S + term, [])]


def address(route: str, record) -> str:
    return SERVER + reverse(f"{route}-detail", args=[record.pk])


def read(api_client, url, **params) -> dict:
    response = api_client.get(url, params, HTTP_ACCEPT=LD)
    assert response.status_code == 200 and response["Content-Type"] == LD, response.content[:300]
    return json.loads(response.content)


@pytest.fixture
def visit_coverage():
    """A quote by an analyst in an article of Turan about a visit to Baku by a minister."""
    baku = CityFactory(name="Baku", country="AZ")
    minister = ExpertFactory(official=True, name="Sergei Lavrov")
    visit = VisitFactory(cities=[baku], visitors=[minister], start_date=datetime.date(2023, 2, 27))
    article = ArticleFactory(outlet=OutletFactory(name="Turan", country="AZ"), visits=[visit])
    analyst = ExpertFactory(name="Elkhan Shahinoglu", alternate_names=["Shainoglu"], affiliation="Atlas")
    return QuoteFactory(article=article, speaker=analyst)


def test_records_are_schema_org_nodes_joined_by_their_addresses(api_client, visit_coverage):
    """Quote, article, visit, participation and expert expand to the schema.org triples, linked by API address."""
    quote, article = visit_coverage, visit_coverage.article
    visit, participation = quote.visit, quote.visit.participations.get()
    documents = [
        read(api_client, address(route, record))
        for route, record in [
            ("quote", quote),
            ("article", article),
            ("visit", visit),
            ("visitparticipant", participation),
            ("expert", quote.speaker),
        ]
    ]
    nodes = graph(*documents)
    q, a, v = nodes[address("quote", quote)], nodes[address("article", article)], nodes[address("visit", visit)]
    role, speaker = nodes[address("visitparticipant", participation)], nodes[address("expert", quote.speaker)]
    assert q["@type"] == [S + "Quotation"] and values(q, "text") == ["We expect progress,"]
    assert ids(q, "spokenByCharacter") == {address("expert", quote.speaker)}
    assert ids(q, "isPartOf") == {address("article", article)} and ids(q, "about") == {address("visit", visit)}
    assert a["@type"] == [S + "NewsArticle"]
    assert a[S + "datePublished"] == [{"@value": "2023-03-01", "@type": S + "Date"}]
    assert ids(a, "publisher") == {address("outlet", article.outlet)} and ids(a, "about") == {address("visit", visit)}
    assert nodes[address("outlet", article.outlet)]["@type"] == [S + "NewsMediaOrganization"]
    assert v["@type"] == [S + "Event"] and values(v, "startDate") == ["2023-02-27"]
    baku = visit.cities.get()
    assert address("city", baku) in ids(v, "location") and nodes[address("city", baku)]["@type"] == [S + "City"]
    # Attendees through their participation (a schema.org Role), which says they travelled.
    assert ids(v, "attendee") == {address("visitparticipant", participation)}
    assert role["@type"] == [S + "Role"] and values(role, "roleName") == ["visitor"]
    assert ids(role, "attendee") == {address("expert", participation.person)}
    assert speaker["@type"] == [S + "Person"] and values(speaker, "alternateName") == ["Shainoglu"]
    (affiliation,) = ids(speaker, "affiliation")
    assert nodes[affiliation]["@type"] == [S + "Organization"] and values(nodes[affiliation], "name") == ["Atlas"]
    # Compacted with the same context, the terms come back.
    compacted = jsonld.compact(documents[0], {"@context": CONTEXT}, OFFLINE)
    assert compacted["spokenByCharacter"]["@id"] == address("expert", quote.speaker)


def test_a_list_is_a_collection_paged_like_the_json_answer(api_client, visit_coverage):
    """A page is a Hydra Collection: its members, and a view whose next and previous are the JSON answer's links."""
    QuoteFactory(article=visit_coverage.article, text="Nothing else was announced.")
    url = reverse("quote-list")
    first = read(api_client, url, page_size=1, count="true")
    assert first["@type"] == "Collection" and first["totalItems"] == 2 and len(first["member"]) == 1
    assert first["view"]["next"] == api_client.get(url, {"page_size": 1, "count": "true"}).json()["next"]
    second = read(api_client, first["view"]["next"])
    assert "next" not in second["view"] and second["view"]["previous"]
    assert second["@id"] == f"{SERVER}{url}?count=true&page_size=1"  # the list itself: where its first page is
    (expanded,) = jsonld.expand(second, OFFLINE)
    assert expanded["@type"] == [HYDRA + "Collection"]
    assert expanded[HYDRA + "member"][0]["@id"] != first["member"][0]["@id"]
    assert expanded[HYDRA + "view"][0][HYDRA + "previous"][0]["@id"] == second["view"]["previous"]


def test_partial_dates_are_written_at_their_precision(api_client):
    """A date known to the year is 2016, to the month 2016-03, never the first day the database stores."""
    for slug, precision in [("year", DatePrecision.YEAR), ("month", DatePrecision.MONTH)]:
        ArticleFactory(slug=slug, published_date=datetime.date(2016, 3, 21), published_date_precision=precision)
    ArticleFactory(slug="undated", published_date=None, published_date_precision=DatePrecision.UNKNOWN)
    page = read(api_client, reverse("article-list"), format="jsonld", ordering="title")
    dates = {node["identifier"]: node.get("datePublished") for node in page["member"]}
    assert dates == {"year": "2016", "month": "2016-03", "undated": None}
    nodes = graph(page)
    assert nodes[SERVER + reverse("article-detail", args=[Article.objects.get(slug="year").pk])][
        S + "datePublished"
    ] == [{"@value": "2016", "@type": S + "Date"}]


def test_json_ld_is_chosen_by_accept_and_errors_stay_plain_json(api_client, curator_client, visit_coverage):
    """Accept or ?format= picks JSON-LD; a 400, a 404 and other endpoints answer as JSON does."""
    url = address("quote", visit_coverage)
    assert api_client.get(url, HTTP_ACCEPT="application/json").json()["id"] == visit_coverage.pk
    response = api_client.get(url, HTTP_ACCEPT=f"{LD}, application/json;q=0.5")
    assert response["Content-Type"] == LD and "Accept" in response["Vary"]
    assert api_client.get(url, HTTP_ACCEPT=f"application/json, {LD};q=0.5")["Content-Type"] == "application/json"
    assert api_client.get(url, {"format": "jsonld"})["Content-Type"] == LD
    for asked, status, field in [
        (reverse("quote-detail", args=[10**6]), 404, "detail"),
        (reverse("quote-list") + "?speakr=1", 400, "speakr"),
        (reverse("quote-list") + "?facet=speaker", 400, "facet"),  # a JSON-LD answer holds no facets
    ]:
        response = api_client.get(asked, HTTP_ACCEPT=LD)
        assert (response.status_code, response["Content-Type"]) == (status, "application/json")
        assert field in response.json()
    assert api_client.get(reverse("search"), {"q": "progress"}, HTTP_ACCEPT=LD).status_code == 406
    created = curator_client.post(reverse("outlet-list"), {"name": "Report", "slug": "report"}, HTTP_ACCEPT=LD)
    assert created.status_code == 201 and json.loads(created.content)["@id"] == created["Location"]


def test_json_ld_reads_what_json_reads(api_client, sample_corpus, count_queries):
    """Every list, record and related list runs the same statements in JSON-LD as in JSON: none per row."""
    for route, record, queries in QUERIES:
        url = reverse(route, args=[getattr(sample_corpus, record).pk]) if record else reverse(route)
        params = {"page_size": 500} if is_list(route) else {}
        ran = count_queries(lambda url=url, params=params: api_client.get(url, params, HTTP_ACCEPT=LD))
        assert ran == queries + bounds(), route


def test_the_dump_is_one_graph_of_every_record(sample_corpus, tmp_path):
    """export_jsonld writes every record once, as the API's node at its API address, linked by @id."""
    dump = tmp_path / "corpus.jsonld"
    call_command("export_jsonld", str(dump), base_url=SERVER, stdout=open(tmp_path / "out", "w"))
    nodes = graph(json.loads(dump.read_text()))
    for model, route, schema_type in [
        (Outlet, "outlet", "NewsMediaOrganization"),
        (City, "city", "City"),
        (Expert, "expert", "Person"),
        (Visit, "visit", "Event"),
        (VisitParticipant, "visitparticipant", "Role"),
        (Article, "article", "NewsArticle"),
        (Quote, "quote", "Quotation"),
    ]:
        typed = {node_id for node_id, node in nodes.items() if node.get("@type") == [S + schema_type]}
        assert typed == {address(route, record) for record in model.objects.all()}, schema_type
    quote = Quote.objects.exclude(visit=None).first()
    assert ids(nodes[address("quote", quote)], "spokenByCharacter") == {address("expert", quote.speaker)}
    with pytest.raises(CommandError, match="base-url"):
        call_command("export_jsonld", str(dump), base_url="corpus.example.org")


def test_the_schema_documents_json_ld_answers(api_client):
    """Records and lists name application/ld+json, as a node or a Collection; errors stay JSON."""
    paths = api_client.get(reverse("schema"), {"format": "json"}).json()["paths"]
    list_answer = paths["/api/quotes/"]["get"]["responses"]
    assert list_answer["200"]["content"][LD]["schema"]["$ref"].endswith("/LinkedDataCollection")
    assert LD not in list_answer["404"]["content"]
    record = paths["/api/quotes/{id}/"]["get"]["responses"]["200"]["content"][LD]
    assert record["schema"]["$ref"].endswith("/LinkedDataRecord")
