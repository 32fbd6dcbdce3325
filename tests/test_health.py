"""/healthz and /readyz: anonymous JSON for a load balancer, never throttled, cheap to ask every few seconds."""

import pytest
from django.db import OperationalError, connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from rest_framework.throttling import AnonRateThrottle

from config.ops import health


@pytest.fixture
def fresh_migration_check(monkeypatch):
    """Forget what an earlier test's /readyz learned about the migrations."""
    monkeypatch.setattr(health, "_migrations_applied_at", None)


def test_healthz_answers_without_touching_the_database(client):
    """Liveness needs no database: this test has no database access, and any query would fail it."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_checks_database_cache_and_migrations(client, fresh_migration_check):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"database": "ok", "cache": "ok", "migrations": "ok"}}


@pytest.mark.django_db
def test_readyz_is_503_while_a_migration_is_unapplied(client, fresh_migration_check):
    # The app's latest migration: the plan skips an unapplied one that a later applied migration follows.
    MigrationRecorder(connection).record_unapplied(*MigrationLoader(connection).graph.leaf_nodes("corpus_app")[0])
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"]["migrations"] == "failed: 1 unapplied"


@pytest.mark.django_db
def test_readyz_is_503_when_the_database_fails_without_saying_where_it_is(client, monkeypatch):
    def refuse():
        raise OperationalError('connection to server at "db.internal" (10.0.0.5), port 5432 failed')

    monkeypatch.setattr(health, "database_answers", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "failed: OperationalError", "cache": "ok"}
    assert b"db.internal" not in response.content


@pytest.mark.django_db
def test_readyz_reads_the_migrations_once_a_minute_not_on_every_probe(client, fresh_migration_check, monkeypatch):
    built = []
    real_executor = health.MigrationExecutor
    monkeypatch.setattr(health, "MigrationExecutor", lambda conn: built.append(conn) or real_executor(conn))
    for _ in range(3):
        assert client.get("/readyz").status_code == 200
    assert len(built) == 1
    monkeypatch.setattr(health, "_migrations_applied_at", health._migrations_applied_at - 61)
    assert client.get("/readyz").status_code == 200
    assert len(built) == 2


@pytest.mark.django_db
def test_health_endpoints_are_never_throttled_while_the_api_is(client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "rate", "1/minute", raising=False)
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code == 200
    assert client.get("/api/outlets/").status_code == 200
    assert client.get("/api/outlets/").status_code == 429
