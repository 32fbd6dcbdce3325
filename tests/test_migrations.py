"""Data migrations carry curated databases along with corrections to the corpus."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from corpus_app.models import Visit

BEFORE = [("corpus_app", "0006_quote_relayed_by")]


def migrate_to(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def before_the_2015_rename(transactional_db):
    apps = migrate_to(BEFORE)
    yield apps
    migrate_to(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_records_named_for_2016_are_renamed_so_a_reload_finds_them(before_the_2015_rename):
    """Migration 0007 renames the 2016 slugs (keeping a curator's own title), and `loaddata corpus` adds no twin."""
    OldVisit = before_the_2015_rename.get_model("corpus_app", "Visit")
    common = {"host_country": "AZ", "kind": "working", "status": "held"}
    OldVisit.objects.create(slug="lavrov-azerbaijan-2016", title="Lavrov's working visit to Baku, 2016", **common)
    OldVisit.objects.create(slug="mammadyarov-moscow-before-2016", title="A curator's own title", **common)

    migrate_to(MigrationExecutor(connection).loader.graph.leaf_nodes())

    lavrov = Visit.objects.get(slug="lavrov-azerbaijan-2015")
    assert (lavrov.title, lavrov.version) == ("Lavrov's working visit to Baku, 2015", 2)
    assert lavrov.history.get().history_change_reason.startswith("Seed 002 re-dated to 2015")
    assert Visit.objects.get(slug="mammadyarov-moscow-before-2015").title == "A curator's own title"
    assert not Visit.objects.filter(slug__contains="2016").exists()

    call_command("loaddata", "corpus", verbosity=0)
    assert Visit.objects.filter(slug="lavrov-azerbaijan-2015").get().pk == lavrov.pk
    assert Visit.objects.count() == 14
