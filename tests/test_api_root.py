"""The API's front page says what the API is and links its documentation and its login; JSON still lists endpoints."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework import status

pytestmark = pytest.mark.django_db

ROOT = reverse("api-root")
ENDPOINTS = ["articles", "visits", "visit-participants", "experts", "quotes", "outlets", "cities"]


def test_the_json_root_lists_the_endpoints_and_links_the_documentation(api_client):
    """A client reading /api/ gets the endpoints, nothing else, and the documentation in the Link header."""
    response = api_client.get(ROOT)
    assert response.status_code == status.HTTP_200_OK
    assert response.json() == {name: f"http://testserver/api/{name}/" for name in ENDPOINTS}
    assert response["Link"] == (
        '<http://testserver/api/docs/>; rel="service-doc", <http://testserver/api/schema/>; rel="service-desc"'
    )


def test_the_browsable_root_is_named_described_and_links_docs_and_login(client):
    """In a browser /api/ is "corpus API", says what it holds, and links Swagger UI, the schema and the login."""
    page = client.get(ROOT, HTTP_ACCEPT="text/html").content.decode()
    assert "<h1>corpus API</h1>" in page and "default basic root view" not in page
    assert "Press coverage of diplomatic visits" in page and "<code>Authorization: Token &lt;key&gt;</code>" in page
    assert '<a href="http://testserver/api/docs/">API documentation</a>' in page
    assert '<a href="http://testserver/api/schema/">OpenAPI schema</a>' in page
    assert '<a href="http://testserver/api/auth/login/?next=/api/">Log in</a>' in page
    assert '"http://testserver/api/quotes/"' in page  # the endpoints, as in JSON
    assert "<code>Accept: application/ld+json</code>" in page and "<code>?format=csv</code>" in page


def test_options_describe_the_api_in_text(api_client):
    """OPTIONS /api/ names the API and gives the documentation's address in plain text."""
    body = api_client.options(ROOT).json()
    assert body["name"] == "corpus API"
    assert "Press coverage of diplomatic visits" in body["description"]
    assert "Documentation: http://testserver/api/docs/" in body["description"]
    assert "JSON-LD" in body["description"] and "NDJSON" in body["description"]
    assert "Log in to browse as yourself: http://testserver/api/auth/login/?next=/api/" in body["description"]


def test_logging_in_through_the_browsable_api_and_out_again(client):
    """The login page logs a user in and back to the page they came from, which then offers a log-out button."""
    get_user_model().objects.create_user("reader", password="reader-password-1")
    login = reverse("rest_framework:login")
    assert client.get(login, {"next": ROOT}).status_code == status.HTTP_200_OK
    response = client.post(login, {"username": "reader", "password": "reader-password-1", "next": ROOT})
    assert (response.status_code, response["Location"]) == (status.HTTP_302_FOUND, ROOT)
    page = client.get(ROOT, HTTP_ACCEPT="text/html").content.decode()
    assert '<li class="navbar-text">reader</li>' in page and "Log in</a>" not in page
    assert f'action="{reverse("rest_framework:logout")}?next=/api/"' in page
    response = client.post(f"{reverse('rest_framework:logout')}?next={ROOT}")
    assert (response.status_code, response["Location"]) == (status.HTTP_302_FOUND, ROOT)
    assert "Log in</a>" in client.get(ROOT, HTTP_ACCEPT="text/html").content.decode()


def test_a_format_an_endpoint_does_not_write_is_a_404_naming_those_it_does(api_client):
    response = api_client.get(reverse("stats-timeline"), {"format": "jsonld"})
    assert response.status_code == 404
    assert response.json()["detail"] == (
        "This endpoint is not written as format=jsonld: it is written as json, api, csv."
    )
