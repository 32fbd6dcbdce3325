"""One JSON line per request on standard output: method, path, status, duration, user, client address."""

import json
import logging

import pytest
from django.test import override_settings

from tests.factories import OutletFactory

pytestmark = pytest.mark.django_db


def request_lines(captured: str) -> list[dict]:
    lines = [json.loads(line) for line in captured.splitlines() if line.startswith("{")]
    return [line for line in lines if line["logger"] == "corpus.requests"]


def test_a_request_is_one_json_line_without_its_query_string(client, capsys):
    OutletFactory()
    capsys.readouterr()
    assert client.get("/api/outlets/", {"search": "s3cret-token"}).status_code == 200
    captured = capsys.readouterr().out
    [line] = request_lines(captured)
    assert line["level"] == "INFO"
    assert line["message"] == "GET /api/outlets/ 200"
    assert {key: line[key] for key in ("method", "path", "status", "user", "remote_addr")} == {
        "method": "GET",
        "path": "/api/outlets/",
        "status": 200,
        "user": "anonymous",
        "remote_addr": "127.0.0.1",
    }
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] > 0
    assert isinstance(line["pid"], int) and line["time"].endswith("+00:00")
    assert "s3cret-token" not in captured


def test_the_line_names_the_authenticated_user_and_logs_failures_at_higher_levels(curator, curator_client, capsys):
    capsys.readouterr()
    curator_client.get("/api/outlets/")
    curator_client.get("/api/outlets/999999/")
    curator_client.post("/api/outlets/", {"name": ""}, format="json")
    lines = request_lines(capsys.readouterr().out)
    assert [(line["status"], line["level"], line["user"]) for line in lines] == [
        (200, "INFO", curator.pk),
        (404, "WARNING", curator.pk),
        (400, "WARNING", curator.pk),
    ]


def test_a_request_that_never_looks_up_its_user_logs_none(client, capsys):
    """Health probes and static files cost no session or user query for the log's sake."""
    capsys.readouterr()
    client.get("/healthz")
    [line] = request_lines(capsys.readouterr().out)
    assert line["user"] is None


@override_settings(DEBUG_PROPAGATE_EXCEPTIONS=False)
def test_a_500_is_an_error_line_and_its_traceback_a_json_line_too(client, capsys, monkeypatch):
    from corpus_app.api.views import OutletViewSet

    def fail(self, request, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(OutletViewSet, "list", fail)
    client.raise_request_exception = False
    capsys.readouterr()
    assert client.get("/api/outlets/").status_code == 500
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    request_line = next(line for line in lines if line["logger"] == "corpus.requests")
    assert request_line["level"] == "ERROR" and request_line["status"] == 500
    traceback = next(line for line in lines if line["logger"] == "django.request")
    assert "RuntimeError: boom" in traceback["exception"]


@pytest.fixture
def request_log_level_warning():
    logger = logging.getLogger("corpus.requests")
    level = logger.level
    logger.setLevel(logging.WARNING)
    yield
    logger.setLevel(level)


def test_the_level_keeps_only_failures_when_raised_to_warning(client, capsys, request_log_level_warning):
    capsys.readouterr()
    client.get("/api/outlets/")
    client.get("/api/outlets/999999/")
    assert [line["status"] for line in request_lines(capsys.readouterr().out)] == [404]
