"""Shared fixtures.

Test data
---------
Behaviour tests build the rows they need with the factories in tests/factories.py; `sample_corpus`
gives a small corpus of every kind of record for tests that need "some data everywhere".

The curated corpus (fixtures/corpus.json) is loaded only by the tests about the corpus itself, by
the `corpus` fixture, once per test module: the module's first test that asks for it opens a
transaction and loads the corpus into it; every test then runs in a savepoint inside that
transaction (pytest-django's `db` does that by itself when a transaction is open) and is rolled
back to the loaded corpus; after the module's last test the outer transaction is rolled back, so
the next module starts from an empty database again. This works alike on SQLite and PostgreSQL.

Rules that follow from it, enforced by `corpus_isolation` below:
  - a test using `corpus` also needs the database (the `django_db` mark or the `db` fixture);
  - in a module that uses `corpus`, every database test uses it: another test of the module would
    see the corpus's rows, and a transactional test (`live_server`, `transactional_db`) cannot run
    inside the module's transaction. Put such tests in another module.

Logging in: tests use `client.force_login(user)`. A password login goes through django-axes, which
needs the request: post the login form, or pass one, `client.login(request=HttpRequest(), ...)`.
"""

import os
import socket
from urllib.parse import urlsplit

import pytest
from django.conf import settings

# The Redis server the `redis` tests use (keys under a prefix of their own; never cleared).
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def pytest_report_header(config):
    """Name the database the tests run on: Django's test database, never the one `make run` serves."""
    from django.db.backends.base.creation import TEST_DATABASE_PREFIX

    db = settings.DATABASES["default"]
    name = db.get("TEST", {}).get("NAME") or TEST_DATABASE_PREFIX + db["NAME"]
    if getattr(config.option, "numprocesses", None):  # pytest-xdist: pytest-django suffixes it per worker
        name += f" (one per worker: {name}_gw0, {name}_gw1, …)"
    return f"corpus test database: {db['ENGINE'].rsplit('.', 1)[-1]} {name}"


def pytest_collection_modifyitems(config, items):
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)
    if any("redis" in item.keywords for item in items) and not _redis_answers():
        skip = pytest.mark.skip(reason=f"needs Redis at {urlsplit(TEST_REDIS_URL).netloc} (TEST_REDIS_URL)")
        for item in items:
            if "redis" in item.keywords:
                item.add_marker(skip)


def _redis_answers() -> bool:
    address = urlsplit(TEST_REDIS_URL)
    try:
        with socket.create_connection((address.hostname, address.port or 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """Hash test users' passwords with MD5: PBKDF2's deliberate 0.4 s per password is most of the time of a
    test that creates a user or logs one in, and no test is about the strength of the hash."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True, scope="session")
def suite_cache(tmp_path_factory):
    """A cache directory of the suite's own, rather than the checkout's var/cache/, which a `make serve`
    of the checkout may be using: the suite clears its cache before every test (`fresh_throttle_counts`)."""
    from django.test import override_settings

    from config.ops.cache import facets_cache, file_cache

    default = file_cache(tmp_path_factory.mktemp("cache"))
    with override_settings(CACHES={"default": default, "facets": facets_cache(default)}):
        yield


@pytest.fixture(autouse=True, scope="session")
def static_files_without_collecting(tmp_path_factory):
    """Static files from the apps' directories, as with debug on.

    Production's storage names each static file by its hash from the manifest collectstatic writes;
    the suite renders pages without collecting first (tests/test_serving.py collects, in the server
    it starts), and gives WhiteNoise an empty STATIC_ROOT rather than the checkout's.
    """
    from django.test import override_settings

    staticfiles = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(
        STATIC_ROOT=tmp_path_factory.mktemp("static"), STORAGES={**settings.STORAGES, "staticfiles": staticfiles}
    ):
        yield


_corpus_module = None  # the module whose transaction holds the curated corpus, while one does


@pytest.fixture(scope="module")
def corpus(request, django_db_setup, django_db_blocker):
    """The curated corpus, loaded as a user would load it (`loaddata corpus`), once per test module."""
    global _corpus_module
    from django.core.management import call_command
    from django.db import transaction

    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
        try:
            call_command("loaddata", "corpus", verbosity=0)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    _corpus_module = request.module.__name__
    yield
    _corpus_module = None
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def corpus_isolation(request):
    """Fail a database test that would run inside another test's corpus transaction (see above)."""
    database_fixtures = {"db", "transactional_db", "live_server"}
    uses_database = request.node.get_closest_marker("django_db") or database_fixtures & set(request.fixturenames)
    if _corpus_module and uses_database and "corpus" not in request.fixturenames:
        pytest.fail(
            f"{request.node.nodeid} uses the database in {_corpus_module}, where the curated corpus is loaded "
            "for the whole module: its rows would leak into this test. Move the test to another module."
        )


@pytest.fixture
def sample_corpus(db):
    """A few rows of every model, each related to others (tests.factories.sample_corpus)."""
    from tests.factories import sample_corpus

    return sample_corpus()


@pytest.fixture(autouse=True)
def fresh_throttle_counts():
    """Throttles count in the cache; each test starts with a clean slate."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


def _client_with_token(user):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def curator(db):
    """A user holding every permission on the corpus models."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user("curator", password="unused-in-tests-1")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="corpus_app"))
    return user


@pytest.fixture
def curator_client(curator):
    return _client_with_token(curator)


@pytest.fixture
def reader_client(db):
    """Authenticated, without any model permission."""
    from django.contrib.auth import get_user_model

    return _client_with_token(get_user_model().objects.create_user("reader", password="unused-in-tests-2"))


@pytest.fixture
def count_queries():
    """count_queries(callable) -> number of SQL statements it ran (savepoints of ATOMIC_REQUESTS included)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def run(request):
        with CaptureQueriesContext(connection) as context:
            response = request()
        assert response.status_code == 200, response.content[:500]
        return len(context)

    return run
