"""Django's debug error page (make run turns debug on) never shows a database or service password.

runserver copies the environment into request.META, so a 500's technical page lists DATABASE_URL;
Django's own filter hides names with PASS, KEY, TOKEN and the like, not *_URL or DSN.
"""

import pytest
from django.views.debug import get_default_exception_reporter_filter

from corpus_app.api.views import OutletViewSet

pytestmark = pytest.mark.django_db

PASSWORD = "pg-pass-7c1e"
ENVIRONMENT = {  # what runserver's request.META carries from the shell that started it
    "DATABASE_URL": f"postgres://corpus:{PASSWORD}@db.example.org:5432/corpus",
    "REDIS_URL": f"redis://:{PASSWORD}-redis@127.0.0.1:6379/0",
    "SENTRY_DSN": f"https://{PASSWORD}-dsn@o1.ingest.example.org/1",
}


@pytest.fixture
def debug_500(client, settings, monkeypatch):
    """debug_500() -> the technical 500 page of a request whose view fails, with debug on."""
    settings.DEBUG = True
    settings.ANALYTICS_ENDPOINT = f"https://robot:{PASSWORD}-setting@stats.example.org/collect"

    def fail(self, request, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(OutletViewSet, "list", fail)
    client.raise_request_exception = False

    def page(accept="text/html") -> str:
        response = client.get("/api/outlets/", HTTP_ACCEPT=accept, **ENVIRONMENT)
        assert response.status_code == 500
        assert "RuntimeError" in response.content.decode()
        return response.content.decode()

    return page


@pytest.mark.parametrize("accept", ["text/html", "application/json"])
def test_the_debug_page_of_a_500_hides_urls_with_credentials_in_meta_and_settings(debug_500, accept):
    page = debug_500(accept)
    assert PASSWORD not in page
    if accept == "text/html":  # a JSON client gets the start of the report only (corpus_app/api/json_errors.py)
        assert "DATABASE_URL" in page and "ANALYTICS_ENDPOINT" in page  # listed, value hidden


@pytest.fixture
def django_filter(settings):
    """Django's own filter in place of the project's (Django caches the filter it loaded first)."""
    settings.DEFAULT_EXCEPTION_REPORTER_FILTER = "django.views.debug.SafeExceptionReporterFilter"
    get_default_exception_reporter_filter.cache_clear()
    yield
    get_default_exception_reporter_filter.cache_clear()


def test_without_the_filter_the_page_would_show_them(django_filter, debug_500):
    """The test above is not vacuous: Django's own filter lets the database password through."""
    assert f"corpus:{PASSWORD}@db.example.org" in debug_500()
