"""The OpenAPI schema documents every operation truthfully, and the docs page needs no CDN."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api_client):
    response = api_client.get(reverse("schema"), {"format": "json"})
    assert response.status_code == 200
    return response.json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_every_resource_and_detail_route_is_documented(schema):
    paths = set(schema["paths"])
    for resource in ("articles", "visits", "visit-participants", "experts", "quotes", "outlets", "cities"):
        assert f"/api/{resource}/" in paths and f"/api/{resource}/{{id}}/" in paths
    assert {
        "/api/experts/{id}/quotes/",
        "/api/visits/{id}/articles/",
        "/api/visits/{id}/quotes/",
        "/api/articles/{id}/quotes/",
    } <= paths


def test_error_responses_are_documented(schema):
    for path, method, operation in operations(schema):
        codes = set(operation["responses"])
        assert {"400", "401", "406", "429", "503"} <= codes, (method, path)
        if method in ("post", "put", "patch", "delete"):
            assert {"403", "409"} <= codes, (method, path)
        if method in ("post", "put", "patch"):
            assert "413" in codes, (method, path)
        if "{id}" in path:
            assert "404" in codes, (method, path)
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]


def test_reads_are_open_and_writes_need_a_token(schema):
    for path, method, operation in operations(schema):
        if method == "get":
            assert {} in operation["security"], path
        else:
            assert {} not in operation["security"] and {"tokenAuth": []} in operation["security"], path


def test_filters_are_documented(schema):
    names = {p["name"] for p in schema["paths"]["/api/quotes/"]["get"]["parameters"]}
    assert {
        "speaker",
        "article",
        "visit",
        "published_after",
        "published_before",
        "kind",
        "search",
        "ordering",
        "cursor",
        "count",
        "page_size",
    } <= names
    assert "page" not in names
    visit_names = {p["name"] for p in schema["paths"]["/api/visits/"]["get"]["parameters"]}
    assert {"date_after", "date_before", "kind", "city", "status"} <= visit_names


def test_each_list_states_its_orderings_and_that_count_is_optional(schema):
    """`ordering` is an enum of what an index serves; a page body has next, previous, results, and count if asked."""
    parameters = {
        path: {p["name"]: p for p in operations["get"]["parameters"]}
        for path, operations in schema["paths"].items()
        if "get" in operations and "cursor" in {p["name"] for p in operations["get"]["parameters"]}
    }
    assert {"/api/quotes/", "/api/articles/", "/api/experts/{id}/quotes/", "/api/visits/{id}/articles/"} <= set(
        parameters
    )
    quote_orderings = parameters["/api/quotes/"]["ordering"]["schema"]["enum"]
    assert {"reading_order", "-created_at"} <= set(quote_orderings) and "speaker__name" not in quote_orderings
    assert parameters["/api/experts/{id}/quotes/"]["ordering"]["schema"]["enum"] == quote_orderings
    assert "-published_date" in parameters["/api/visits/{id}/articles/"]["ordering"]["schema"]["enum"]
    assert parameters["/api/articles/"]["count"]["schema"] == {"type": "boolean"}
    page = schema["components"]["schemas"]["PaginatedQuoteList"]
    assert page["required"] == ["next", "previous", "results"] and "count" in page["properties"]


def test_writes_take_ids_and_reads_embed(schema):
    components = schema["components"]["schemas"]
    assert components["QuoteWriteRequest"]["properties"]["speaker"]["type"] == "integer"
    assert components["Quote"]["properties"]["speaker"]["allOf"] == [{"$ref": "#/components/schemas/ExpertBrief"}]


def test_swagger_ui_is_served_without_any_cdn(client):
    response = client.get(reverse("swagger-ui"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    external = [url for url in re.findall(r'(?:src|href)="([^"]+)"', html) if url.startswith(("http:", "https:", "//"))]
    assert external == []
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html


def test_the_limits_of_a_request_are_documented(schema):
    """The body's size limit and the request's time limit, as this server is configured."""
    responses = schema["paths"]["/api/quotes/"]["post"]["responses"]
    assert responses["413"]["description"].startswith("The body is larger than the 2,097,152 bytes the API reads")
    assert "(5 s, API_STATEMENT_TIMEOUT_MS)" in responses["503"]["description"]
    assert "413" not in schema["paths"]["/api/quotes/"]["get"]["responses"]


def test_every_filter_with_help_text_is_described(schema):
    """A filter whose schema is declared (@extend_schema_field: ids, `month`) keeps its help_text too."""
    for path in ("/api/quotes/", "/api/articles/", "/api/visits/", "/api/visit-participants/"):
        parameters = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}
        for name in ("visit", "month", "outlet", "person", "participant", "city"):
            if name in parameters:
                assert parameters[name].get("description"), (path, name)
    speaker = next(p for p in schema["paths"]["/api/quotes/"]["get"]["parameters"] if p["name"] == "speaker")
    assert speaker["description"] == "Expert id."
