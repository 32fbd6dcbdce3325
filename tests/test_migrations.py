"""Data migrations carry curated databases along with corrections to the corpus."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from corpus_app.models import Quote, Visit
from tests.test_corpus import FIXTURE

BEFORE_CORRECTIONS = [("corpus_app", "0006_quote_relayed_by")]


def migrate_to(targets=None):
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


def model_before_corrections(name: str):
    """A model as it was at BEFORE_CORRECTIONS: today's classes have columns that schema lacks."""
    return MigrationExecutor(connection).loader.project_state(BEFORE_CORRECTIONS).apps.get_model("corpus_app", name)


def comparable(value):
    """Many-to-many keys in a stable order; anything else as it is."""
    return sorted(value) if isinstance(value, list) and all(isinstance(v, list) for v in value) else value


def rows_by_natural_key(rows) -> dict:
    def key(row):
        fields = row["fields"]
        natural = (
            fields.get("slug")
            or fields.get("spellings")
            or [fields.get(name) for name in ("article", "text", "visit", "person", "role")]
        )
        return row["model"], json.dumps(natural)

    return {key(row): row["fields"] for row in rows}


@pytest.fixture
def corpus_before_the_corrections(transactional_db):
    """A database holding the corpus as shipped before migration 0007, as a curator's would."""
    call_command("loaddata", "corpus", verbosity=0)
    migrate_to(BEFORE_CORRECTIONS)  # undoing 0007 puts every corrected field back to its old value
    yield
    migrate_to()


def test_undoing_the_corrections_gives_back_the_2016_records(corpus_before_the_corrections):
    visit = model_before_corrections("Visit").objects.get(slug="lavrov-azerbaijan-2016")
    assert (visit.title, visit.start_date.year) == ("Lavrov's working visit to Baku, 2016", 2016)
    quote = model_before_corrections("Quote").objects.get(text__startswith="Each side has declared")
    assert quote.speaker.slug == "elkhan-shahinoglu"


def test_the_corrections_reach_an_existing_database_exactly_as_shipped(corpus_before_the_corrections):
    """After 0007 every corpus row holds the fixture's values, field for field, and a reload adds no twin."""
    migrate_to()
    out = io.StringIO()
    call_command("dumpdata", "corpus_app", natural_foreign=True, natural_primary=True, stdout=out)
    stored = rows_by_natural_key(json.loads(out.getvalue()))
    for key, fields in rows_by_natural_key(json.loads(FIXTURE.read_text(encoding="utf-8"))).items():
        curated = {name: comparable(value) for name, value in fields.items() if name != "updated_at"}
        assert {name: comparable(stored[key][name]) for name in curated} == curated, key
    call_command("loaddata", "corpus", verbosity=0)
    assert Visit.objects.count() == 14 and Quote.objects.count() == 30


def test_a_curators_edit_stands_and_every_corrected_record_moves_on_a_version(corpus_before_the_corrections):
    visit_then = model_before_corrections("Visit")
    visit = visit_then.objects.get(slug="lavrov-azerbaijan-2016")
    visit_then.objects.filter(pk=visit.pk).update(title="A curator's own title")
    migrate_to()
    visit = Visit.objects.get(pk=visit.pk)
    assert (visit.slug, visit.title, visit.start_date.year) == ("lavrov-azerbaijan-2015", "A curator's own title", 2015)
    assert visit.version == 3  # 2 by undoing the corrections, 3 by applying them
    assert visit.history.latest("history_date").history_change_reason == "Seed corrections (migration 0007)"


def test_a_rename_onto_a_taken_slug_is_skipped_and_said(corpus_before_the_corrections, capsys):
    model_before_corrections("Visit").objects.create(
        slug="lavrov-azerbaijan-2015", title="Made by hand", host_country="AZ"
    )
    migrate_to()
    assert Visit.objects.get(slug="lavrov-azerbaijan-2016").start_date.year == 2015
    assert "Not renamed: Visit 'lavrov-azerbaijan-2016' -> 'lavrov-azerbaijan-2015'" in capsys.readouterr().out
