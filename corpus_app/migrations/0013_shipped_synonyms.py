"""The search synonym groups the corpus ships (fixtures/corpus.json), carried into a database that
already holds the corpus: `load_corpus_once` loads the fixture into an empty database only.

A group is added only where the corpus is (an article of the fixture exists: a fresh database gets
the groups from the fixture, and a test database none) and where none of its spellings is in a group
a curator made meanwhile. Each added group gets a history entry saying where it came from.
"""

from django.db import migrations
from django.utils.dateparse import parse_datetime

from corpus_app.search.folding import fold

CORPUS_ARTICLE = "today-az-2023-02-27-lavrov-baku-visit-pivotal"  # seed 000's, the fixture's first
SHIPPED = [
    {
        "spellings": "Karabakh\nGarabagh",
        "note": "One region, two romanisations: seed 004 (Turan) writes Garabagh (“the Armenian-populated part of Garabagh”), and seeds 001 to 004, that one included, write Karabakh or Nagorno-Karabakh. Qarabağ needs no entry: search folds it to Garabagh.",
        "created_at": "2026-11-24T00:00:00Z",
        "updated_at": "2026-11-24T00:00:00Z",
    },
    {
        "spellings": "Zangezur\nZangazur",
        "note": "Seed 001 writes Zangazur. Zangezur, the usual English spelling of the same region, is in no seed: it is here so that a search in it finds seed 001.",
        "created_at": "2026-11-24T00:00:00Z",
        "updated_at": "2026-11-24T00:00:00Z",
    },
]
REASON = "Shipped search synonyms (migration 0013)"


def shipped_synonyms_add(apps, schema_editor):
    using = schema_editor.connection.alias
    if not apps.get_model("corpus_app", "Article").objects.using(using).filter(slug=CORPUS_ARTICLE).exists():
        return
    SearchSynonym = apps.get_model("corpus_app", "SearchSynonym")
    History = apps.get_model("corpus_history", "HistoricalSearchSynonym")
    taken = {
        folded for group in SearchSynonym.objects.using(using).values_list("folded", flat=True) for folded in group
    }
    for fields in SHIPPED:
        folded = sorted({fold(spelling) for spelling in fields["spellings"].splitlines()})
        if taken.intersection(folded):
            print(f"\n  Not added: search synonyms {fields['spellings']!r}, a spelling is in another group already.")
            continue
        moment = parse_datetime(fields["created_at"])
        group = SearchSynonym.objects.using(using).create(
            spellings=fields["spellings"], note=fields["note"], folded=folded, created_at=moment, updated_at=moment
        )
        History.objects.using(using).create(
            id=group.pk,
            spellings=group.spellings,
            note=group.note,
            created_at=moment,
            updated_at=moment,
            version=1,
            history_date=moment,
            history_type="+",
            history_change_reason=REASON,
        )


def shipped_synonyms_remove(apps, schema_editor):
    SearchSynonym = apps.get_model("corpus_app", "SearchSynonym")
    shipped = [fields["spellings"] for fields in SHIPPED]
    SearchSynonym.objects.using(schema_editor.connection.alias).filter(spellings__in=shipped, version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("corpus_app", "0012_synonym_roles"), ("corpus_history", "0004_search")]

    operations = [migrations.RunPython(shipped_synonyms_add, shipped_synonyms_remove)]
