import pytest
from django.conf import settings


def pytest_report_header(config):
    """Name the database the tests run on: Django's test database, never the one `make run` serves."""
    from django.db.backends.base.creation import TEST_DATABASE_PREFIX

    db = settings.DATABASES["default"]
    name = db.get("TEST", {}).get("NAME") or TEST_DATABASE_PREFIX + db["NAME"]
    return f"corpus test database: {db['ENGINE'].rsplit('.', 1)[-1]} {name}"


def pytest_collection_modifyitems(config, items):
    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def corpus(db):
    """The curated corpus, loaded as a user would load it."""
    from django.core.management import call_command

    call_command("loaddata", "corpus", verbosity=0)


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
