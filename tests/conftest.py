import pytest
from django.conf import settings


def pytest_report_header(config):
    db = settings.DATABASES["default"]
    return f"corpus database: {db['ENGINE'].rsplit('.', 1)[-1]} {db.get('NAME')}"


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
