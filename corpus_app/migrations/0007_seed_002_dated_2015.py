"""Seed 002's visit is Lavrov's of 2015, not 2016: rename the records whose slugs and titles said 2016.

The corpus fixture now names them by their 2015 slugs; renaming them here means a reload of the
fixture finds the same records (and their curated history) instead of adding duplicates beside them.
A title a curator has since edited is left as it is; each renamed record gets the next version (so an
If-Match on the old one fails) and a history entry saying why it changed.
"""

from django.db import migrations
from django.utils import timezone

RENAMES = [
    # (old slug, new slug, old title, new title)
    (
        "lavrov-azerbaijan-2016",
        "lavrov-azerbaijan-2015",
        "Lavrov's working visit to Baku, 2016",
        "Lavrov's working visit to Baku, 2015",
    ),
    (
        "mammadyarov-moscow-before-2016",
        "mammadyarov-moscow-before-2015",
        "Mammadyarov's visit to Moscow before Lavrov's 2016 visit",
        "Mammadyarov's visit to Moscow before Lavrov's 2015 visit",
    ),
    (
        "mammadyarov-turkey-before-2016",
        "mammadyarov-turkey-before-2015",
        "Mammadyarov's working visit to Turkey before Lavrov's 2016 visit",
        "Mammadyarov's working visit to Turkey before Lavrov's 2015 visit",
    ),
]
REASON = "Seed 002 re-dated to 2015: slug and title renamed by migration 0007"


def _rename(apps, renames):
    Visit = apps.get_model("corpus_app", "Visit")
    HistoricalVisit = apps.get_model("corpus_history", "HistoricalVisit")
    now = timezone.now()
    for old_slug, new_slug, old_title, new_title in renames:
        visit = Visit.objects.filter(slug=old_slug).first()
        if visit is None or Visit.objects.filter(slug=new_slug).exists():
            continue
        visit.slug = new_slug
        if visit.title == old_title:
            visit.title = new_title
        visit.version += 1
        visit.updated_at = now
        visit.save()
        HistoricalVisit.objects.create(
            **{field.attname: getattr(visit, field.attname) for field in Visit._meta.concrete_fields},
            history_date=now,
            history_type="~",
            history_change_reason=REASON,
        )


def forwards(apps, schema_editor):
    _rename(apps, RENAMES)


def backwards(apps, schema_editor):
    _rename(apps, [(new, old, new_title, old_title) for old, new, old_title, new_title in RENAMES])


class Migration(migrations.Migration):
    dependencies = [
        ("corpus_app", "0006_quote_relayed_by"),
        ("corpus_history", "0002_quote_relayed_by"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
