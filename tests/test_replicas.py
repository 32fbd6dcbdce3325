"""Read replicas (config/ops/replicas.py, config/ops/read_your_writes.py): API reads go to a replica,
writes and the admin to the primary, and a client that wrote reads the primary for a short window.

The integration tests give the test database a replica alias the way DATABASE_REPLICA_URLS does, as a
Django test mirror: a connection of its own to the same test database. Which connection served a read
is then observable (the queries each connection ran), and the rows a test creates must be committed
for the replica's connection to see them, hence `transactional_db`.
"""

import os
import sys
import time
from contextlib import ExitStack

import pytest
from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, reset_queries, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from config.ops import replicas
from config.ops.read_your_writes import STICKY_COOKIE
from config.ops.replicas import PrimaryReplicaRouter, end_request_reads, replica_databases, start_request_reads
from corpus_app.api.filters import ExpertFilter
from corpus_app.models import Article, Expert
from tests.factories import ExpertFactory, OutletFactory
from tests.test_settings import run

REPLICA = "replica_1"
PRIMARY_DEFAULTS = {"CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}


# ------------------------------------------------------------------ settings


def test_replicas_connect_like_the_primary_read_only_and_mirror_it_in_tests():
    databases = replica_databases(
        ["postgres://reader@r1:5432/corpus", "postgres://reader@r2/corpus?options=-c%20search_path%3Dcorpus"],
        primary=PRIMARY_DEFAULTS,
        statement_timeout_ms=5000,
    )
    assert list(databases) == ["replica_1", "replica_2"]
    first, second = databases.values()
    assert first["HOST"] == "r1" and second["HOST"] == "r2"
    for replica in (first, second):
        assert replica["CONN_MAX_AGE"] == 60 and replica["CONN_HEALTH_CHECKS"] is True
        assert replica["ATOMIC_REQUESTS"] is False
        assert replica["TEST"] == {"MIRROR": "default"}
        assert replica["OPTIONS"]["connect_timeout"] == replicas.REPLICA_CONNECT_TIMEOUT_SECONDS
    assert first["OPTIONS"]["options"] == "-c default_transaction_read_only=on -c statement_timeout=5000"
    # Options the URL carries are kept.
    assert second["OPTIONS"]["options"].startswith("-c search_path=corpus -c default_transaction_read_only=on")


def test_no_statement_timeout_of_ours_when_it_is_off():
    (replica,) = replica_databases(["postgres://r/corpus"], primary=PRIMARY_DEFAULTS, statement_timeout_ms=0).values()
    assert replica["OPTIONS"]["options"] == "-c default_transaction_read_only=on"


PRINT_ROUTING = (
    "import django; django.setup(); from django.conf import settings; "
    "print(sorted(settings.DATABASES), settings.DATABASE_ROUTERS, "
    "[m for m in settings.MIDDLEWARE if 'replica' in m.lower() or 'writes' in m.lower()])"
)


def test_without_replica_urls_there_is_one_database_and_no_router():
    result = run([sys.executable, "-c", PRINT_ROUTING], DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['default'] [] []"


def test_replica_urls_configure_the_replicas_the_router_and_the_middleware():
    result = run(
        [sys.executable, "-c", PRINT_ROUTING],
        DJANGO_DEBUG="1",
        DATABASE_REPLICA_URLS="postgres://reader@r1/corpus, postgres://reader@r2/corpus",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "['default', 'replica_1', 'replica_2'] ['config.ops.replicas.PrimaryReplicaRouter'] "
        "['config.ops.read_your_writes.ReadYourWritesMiddleware']"
    )


# ------------------------------------------------------------------ the router's decisions


@pytest.fixture
def request_reads():
    """request_reads(replica_allowed=...): the state the middleware declares for a request, ended after the test."""
    tokens = []
    yield lambda **allowed: tokens.append(start_request_reads(**allowed))
    for token in reversed(tokens):
        end_request_reads(token)


@pytest.fixture
def replica_answers(monkeypatch):
    monkeypatch.setattr(replicas, "answering_replica", lambda: REPLICA)


router = PrimaryReplicaRouter()


def test_outside_a_request_everything_is_on_the_primary(replica_answers):
    """Commands, scripts and the shell never read a lagging copy."""
    assert router.db_for_read(Article) == DEFAULT_DB_ALIAS
    assert router.db_for_write(Article) == DEFAULT_DB_ALIAS


def test_a_replica_safe_request_reads_the_corpus_from_a_replica_and_accounts_from_the_primary(
    request_reads, replica_answers
):
    request_reads(replica_allowed=True)
    assert router.db_for_read(Article) == REPLICA
    assert router.db_for_read(Expert) == REPLICA
    assert router.db_for_read(get_user_model()) == DEFAULT_DB_ALIAS
    assert router.db_for_read(Token) == DEFAULT_DB_ALIAS


def test_after_a_write_the_request_reads_the_primary(request_reads, replica_answers):
    request_reads(replica_allowed=True)
    assert router.db_for_read(Expert) == REPLICA
    assert router.db_for_write(Expert) == DEFAULT_DB_ALIAS
    assert router.db_for_read(Expert) == DEFAULT_DB_ALIAS


def test_a_request_not_declared_replica_safe_reads_the_primary(request_reads, replica_answers):
    request_reads(replica_allowed=False)
    assert router.db_for_read(Article) == DEFAULT_DB_ALIAS


@pytest.mark.django_db
def test_reads_inside_an_atomic_block_of_the_codes_own_go_to_the_primary(request_reads, replica_answers):
    request_reads(replica_allowed=True)
    assert router.db_for_read(Article) == REPLICA
    with transaction.atomic():
        assert router.db_for_read(Article) == DEFAULT_DB_ALIAS
    assert router.db_for_read(Article) == REPLICA


def test_only_the_primary_is_migrated_and_records_read_from_any_of_ours_may_relate(monkeypatch):
    monkeypatch.setattr(replicas, "replica_aliases", lambda: [REPLICA])
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "corpus_app") is True
    assert router.allow_migrate(REPLICA, "corpus_app") is False
    from_primary, from_replica, from_elsewhere = Expert(), Expert(), Expert()
    from_primary._state.db, from_replica._state.db, from_elsewhere._state.db = DEFAULT_DB_ALIAS, REPLICA, "archive"
    assert router.allow_relation(from_primary, from_replica) is True
    assert router.allow_relation(from_primary, from_elsewhere) is None  # not ours to say


# ------------------------------------------------------------------ requests, with a test mirror


@pytest.fixture(autouse=True, scope="module")
def replica_alias(django_db_setup, django_db_blocker):
    """The replica alias DATABASE_REPLICA_URLS would configure, mirroring the test database.

    For the whole module, so that it exists before pytest-django sets up each test, which allows only
    the aliases a test names (`with_replica`) and refuses connections to the others.
    """
    primary = connections[DEFAULT_DB_ALIAS].settings_dict
    url = os.environ.get("DATABASE_URL") or "sqlite://:memory:"
    aliases = replica_databases([url], primary=primary, statement_timeout_ms=5000)
    connections.settings[REPLICA] = connections.configure_settings({DEFAULT_DB_ALIAS: {}, **aliases})[REPLICA]
    connections[REPLICA].creation.set_as_test_mirror(primary)  # what Django's test runner does with TEST MIRROR
    yield
    with django_db_blocker.unblock():
        connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


# Rows committed, so that the replica's connection sees them.
with_replica = pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])


@pytest.fixture
def replica(settings, monkeypatch):
    """The router and middleware DATABASE_REPLICA_URLS installs; 1 second of stickiness, so that the window
    can pass within a test."""
    monkeypatch.setattr(replicas, "_replica_down_until", {})
    settings.DATABASE_ROUTERS = ["config.ops.replicas.PrimaryReplicaRouter"]
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(
        middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "config.ops.read_your_writes.ReadYourWritesMiddleware",
    )
    settings.MIDDLEWARE = middleware
    settings.DATABASE_REPLICA_STICKY_SECONDS = 1
    yield
    connections[REPLICA].close()


def databases_read(request) -> set[str]:
    """The databases on which `request()` read corpus records (accounts and transaction control aside)."""
    reset_queries()  # the client's request_started does it too; start both counts from there
    with ExitStack() as stack:
        captured = {
            alias: stack.enter_context(CaptureQueriesContext(connections[alias]))
            for alias in (DEFAULT_DB_ALIAS, REPLICA)
        }
        response = request()
    assert response.status_code < 400, response.content[:500]
    return {alias for alias, queries in captured.items() if any("corpus_app_" in q["sql"] for q in queries)}


@pytest.fixture
def writer(curator_client, curator):
    """The curator's token client, which keeps no cookie between requests: the user's pin alone counts."""
    curator_client.cookies.clear()
    return curator_client


@with_replica
def test_an_anonymous_list_reads_from_the_replica_only(replica, api_client):
    ExpertFactory()
    assert databases_read(lambda: api_client.get(reverse("expert-list"))) == {REPLICA}


@pytest.mark.postgres
@with_replica
def test_an_anonymous_read_sends_nothing_to_the_primary_and_is_bounded_on_the_replica(replica, api_client):
    """Not even the request's statement timeout: the replica's session carries it, read-only."""
    ExpertFactory()
    with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary:
        assert api_client.get(reverse("expert-list")).status_code == status.HTTP_200_OK
    # Django notes where ATOMIC_REQUESTS's transaction begins and ends; no statement ran in it.
    assert {q["sql"] for q in primary.captured_queries} <= {"BEGIN", "COMMIT"}
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT current_setting('statement_timeout'), current_setting('transaction_read_only')")
        assert cursor.fetchone() == ("5s", "on")


@with_replica
def test_writes_run_on_the_primary_only(replica, writer):
    expert = ExpertFactory()
    create = lambda: writer.post(reverse("outlet-list"), {"name": "Report.az", "slug": "report-az"})  # noqa: E731
    assert databases_read(create) == {DEFAULT_DB_ALIAS}
    writer.cookies.clear()
    update = lambda: writer.patch(reverse("expert-detail", args=[expert.pk]), {"role": "political scientist"})  # noqa: E731
    assert databases_read(update) == {DEFAULT_DB_ALIAS}
    expert.refresh_from_db()
    assert expert.role == "political scientist"


@with_replica
def test_the_writer_reads_the_primary_within_the_window_others_the_replica(replica, writer, reader_client):
    expert = ExpertFactory()
    detail = reverse("expert-detail", args=[expert.pk])
    response = writer.patch(detail, {"role": "political scientist"}, HTTP_IF_MATCH='"1"')
    assert response.status_code == status.HTTP_200_OK and response["ETag"] == '"2"'
    writer.cookies.clear()  # a script keeps no cookies: its user is remembered in the cache

    assert databases_read(lambda: writer.get(detail)) == {DEFAULT_DB_ALIAS}
    assert databases_read(lambda: reader_client.get(detail)) == {REPLICA}
    assert databases_read(lambda: APIClient().get(detail)) == {REPLICA}

    time.sleep(1.1)  # DATABASE_REPLICA_STICKY_SECONDS = 1
    assert databases_read(lambda: writer.get(detail)) == {REPLICA}


@with_replica
def test_a_browser_that_wrote_reads_the_primary_by_its_cookie_alone(replica, curator, settings):
    browser = APIClient()
    browser.force_login(curator)
    expert = ExpertFactory()
    detail = reverse("expert-detail", args=[expert.pk])
    assert browser.patch(detail, {"role": "political scientist"}).status_code == status.HTTP_200_OK
    assert STICKY_COOKIE in browser.cookies
    del browser.cookies[settings.SESSION_COOKIE_NAME]  # no user any more: the cookie alone keeps it on the primary
    assert databases_read(lambda: browser.get(detail)) == {DEFAULT_DB_ALIAS}


@with_replica
def test_a_forged_cookie_does_not_pin_a_client_to_the_primary(replica):
    ExpertFactory()
    forger = APIClient()
    forger.cookies[STICKY_COOKIE] = "1"
    assert databases_read(lambda: forger.get(reverse("expert-list"))) == {REPLICA}


@with_replica
def test_a_failed_write_does_not_pin_its_client(replica, writer):
    expert = ExpertFactory()
    refused = writer.patch(reverse("expert-detail", args=[expert.pk]), {"role": "x"}, HTTP_IF_MATCH='"7"')
    assert refused.status_code == status.HTTP_412_PRECONDITION_FAILED
    assert STICKY_COOKIE not in writer.cookies
    assert databases_read(lambda: writer.get(reverse("expert-list"))) == {REPLICA}


@with_replica
def test_the_admin_reads_the_primary(replica, client, curator):
    curator.is_staff = curator.is_superuser = True
    curator.save()
    client.force_login(curator)
    expert = ExpertFactory()
    change_view = lambda: client.get(reverse("admin:corpus_app_expert_change", args=[expert.pk]))  # noqa: E731
    assert databases_read(change_view) == {DEFAULT_DB_ALIAS}


@with_replica
def test_reads_fail_over_to_the_primary_while_a_replica_refuses_connections(replica, api_client, monkeypatch):
    OutletFactory()
    connect = connections[REPLICA].get_new_connection
    attempts, replica_down = [], [True]

    def connect_unless_down(conn_params):
        attempts.append(1)
        if replica_down[0]:
            raise OperationalError("connection refused")
        return connect(conn_params)

    monkeypatch.setattr(connections[REPLICA], "get_new_connection", connect_unless_down)
    for _ in range(2):
        with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary:
            response = api_client.get(reverse("outlet-list"))
        assert response.status_code == status.HTTP_200_OK and len(response.json()["results"]) == 1
        assert any("corpus_app_outlet" in q["sql"] for q in primary.captured_queries)
    assert len(attempts) == 1, "a refusing replica is left out for a while, not tried on every request"

    replica_down[0] = False
    replicas._replica_down_until.clear()  # as if REPLICA_RETRY_SECONDS had passed
    assert databases_read(lambda: api_client.get(reverse("outlet-list"))) == {REPLICA}


@with_replica
def test_readyz_reports_replicas_without_becoming_unready_for_one(replica, client, monkeypatch):
    assert client.get("/readyz").json()["checks"]["replicas"] == {REPLICA: "ok"}

    def refuse(conn_params):
        raise OperationalError("connection refused")

    connections[REPLICA].close()
    monkeypatch.setattr(connections[REPLICA], "get_new_connection", refuse)
    response = client.get("/readyz")
    assert response.status_code == status.HTTP_200_OK
    assert response.json()["checks"]["replicas"] == {REPLICA: "failed: OperationalError"}


class ConflictWithRecovery(Exception):
    """What psycopg raises when a hot standby cancels a query to replay changes (SQLSTATE 40001)."""

    sqlstate = "40001"


@pytest.mark.django_db
def test_a_read_the_replica_cancels_to_replay_changes_is_503_json(api_client, monkeypatch):
    """Not a 500: the same read a moment later succeeds."""

    def cancelled(self, queryset):
        raise OperationalError("canceling statement due to conflict with recovery") from ConflictWithRecovery()

    monkeypatch.setattr(ExpertFilter, "filter_queryset", cancelled)
    response = api_client.get(reverse("expert-list"))
    assert response.status_code == status.HTTP_503_SERVICE_UNAVAILABLE
    assert response.json()["detail"].startswith("The database copy answering this read cancelled it")
