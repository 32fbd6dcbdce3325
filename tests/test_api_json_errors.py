"""Under /api/ every error is JSON for a client that does not ask for HTML, with DEBUG on (as `make run`
sets it) or off; a browser keeps Django's pages (corpus_app/api/json_errors.py)."""

import pytest
from django.test import override_settings
from django.urls import reverse
from rest_framework import status

from corpus_app.api import views
from corpus_app.models import Article
from tests.factories import OutletFactory
from tests.races import after_validation

pytestmark = pytest.mark.django_db

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

ERRORS = [
    # method, path, query, status
    ("get", "/api/nope/", {}, status.HTTP_404_NOT_FOUND),
    ("get", "/api/quotes/%C2%84/", {}, status.HTTP_404_NOT_FOUND),
    ("get", "/api/quotes/abc/", {}, status.HTTP_404_NOT_FOUND),
    ("delete", "/api/", {}, status.HTTP_405_METHOD_NOT_ALLOWED),
    ("get", "/api/quotes/", {f"p{n}": "1" for n in range(1001)}, status.HTTP_400_BAD_REQUEST),
]


def json_error(response, expected_status) -> str:
    assert response.status_code == expected_status
    assert response["Content-Type"] == "application/json"
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail
    return detail


@pytest.mark.parametrize("debug", [True, False], ids=["debug", "production"])
@pytest.mark.parametrize("method, path, query, expected", ERRORS, ids=[f"{e[3]} {e[1]}"[:40] for e in ERRORS])
@pytest.mark.parametrize("accept", [None, "*/*", "application/json"])
def test_errors_under_api_are_json(client, debug, method, path, query, expected, accept):
    """With or without DEBUG, whatever a non-browser client accepts, an API error is {"detail": "..."}."""
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    with override_settings(DEBUG=debug):
        response = getattr(client, method)(path, query, **headers)
    detail = json_error(response, expected)
    assert "Traceback" not in detail and "<" not in detail


def test_an_unrouted_address_says_where_the_endpoints_are(client):
    with override_settings(DEBUG=True):
        detail = json_error(client.get("/api/nope/"), status.HTTP_404_NOT_FOUND)
    assert detail == "Not found: nothing at this address. GET /api/ lists the endpoints."


def test_a_405_keeps_its_allow_header(curator_client):
    response = curator_client.put("/api/quotes/")
    json_error(response, status.HTTP_405_METHOD_NOT_ALLOWED)
    assert "GET" in response["Allow"]


def test_a_converted_error_keeps_the_headers_other_middleware_set(client):
    """Only the body and its type change: security headers stay, and the answer varies with Accept."""
    with override_settings(DEBUG=True):
        response = client.get("/api/nope/")
    json_error(response, status.HTTP_404_NOT_FOUND)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Accept" in response["Vary"]


def test_more_than_a_thousand_parameters_is_400_saying_so(client):
    """Django refuses to parse more than DATA_UPLOAD_MAX_NUMBER_FIELDS parameters; inside DRF that was a 500."""
    response = client.get(reverse("outlet-list"), {f"p{n}": "1" for n in range(1001)})
    assert json_error(response, status.HTTP_400_BAD_REQUEST) == "More than 1,000 parameters."


@pytest.mark.parametrize("debug", [True, False], ids=["debug", "production"])
def test_an_unexpected_exception_is_a_json_500_without_the_traceback(client, monkeypatch, debug):
    """A bug answers 500 {"detail": ...}: no settings, no traceback, with DEBUG on too."""

    def broken(self, request, *args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views.OutletViewSet, "list", broken)
    client.raise_request_exception = False
    with override_settings(DEBUG=debug):
        response = client.get(reverse("outlet-list"))
    detail = json_error(response, status.HTTP_500_INTERNAL_SERVER_ERROR)
    assert "secret" not in detail and "Traceback" not in detail


def test_a_browser_keeps_djangos_pages_and_the_browsable_api(client, admin_client):
    """Asking for HTML first, a browser gets Django's page for an unrouted address and the browsable API."""
    with override_settings(DEBUG=True):
        page = client.get("/api/nope/", HTTP_ACCEPT=BROWSER_ACCEPT)
    assert page.status_code == status.HTTP_404_NOT_FOUND
    assert page["Content-Type"].startswith("text/html")
    browsable = admin_client.get(reverse("outlet-detail", args=[999999]), HTTP_ACCEPT=BROWSER_ACCEPT)
    assert browsable.status_code == status.HTTP_404_NOT_FOUND
    assert b"<html" in browsable.content


def test_outside_the_api_errors_are_untouched(client):
    response = client.get("/nope/")
    assert response.status_code == status.HTTP_404_NOT_FOUND
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_foreign_key_refused_at_commit_is_409_json(curator_client, monkeypatch):
    """Where foreign keys are checked at COMMIT only (deferred, as on SQLite), a write racing a delete fails
    after the view has returned, outside DRF: the answer is still 409 JSON, and nothing is saved."""
    from corpus_app.models import Outlet

    monkeypatch.setattr(views, "bound_request_transaction", lambda using: None)
    outlet = OutletFactory()
    after_validation(monkeypatch, views.s.ArticleWriteSerializer, lambda: Outlet.objects.filter(pk=outlet.pk).delete())
    response = curator_client.post(reverse("article-list"), {"slug": "raced", "body": "Text.", "outlet": outlet.pk})
    assert json_error(response, status.HTTP_409_CONFLICT).startswith("The outlet this refers to was deleted")
    assert not Article.objects.exists()
