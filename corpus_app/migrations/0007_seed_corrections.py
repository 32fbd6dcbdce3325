"""Corrections to the curated corpus after a re-read of the seeds, carried into existing databases.

Seed 002 is dated 2015, not 2016 (its visits' slugs and titles said 2016), Lavrov's words relayed by
Shainoglu are attributed to Lavrov, the 2023 summary says only what the seeds say, and the articles'
notes list every piece of page chrome removed. `data/0007_seed_corrections.json` holds each change
as it was shipped: the record (by natural key), and each field's old and new value.

A field is corrected only where it still holds the old value: a curator's own edit is never
overwritten. Renaming the slugs means a reload of the fixture finds these records instead of adding
twins beside them. Each corrected record moves to its next version (so an If-Match on the old one
fails) and gets a history entry saying why it changed. A rename whose new slug is already taken is
skipped with a warning, for a curator to resolve.
"""

import json
from pathlib import Path

from django.db import migrations
from django.utils import timezone

CORRECTIONS = Path(__file__).resolve().parent / "data" / "0007_seed_corrections.json"
REASONS = {True: "Seed corrections (migration 0007)", False: "Seed corrections undone (migration 0007 reversed)"}


def _record(Model, key):
    if Model._meta.model_name == "quote":
        article_slug, digest = key
        return Model.objects.filter(article__slug=article_slug, text_digest=digest).first()
    return Model.objects.filter(slug=key[0]).first()


def _stored(Model, name, value):
    """A fixture value as the database holds it: a date for a date, a related row's id for a natural key."""
    field = Model._meta.get_field(name)
    if field.is_relation:
        return field.related_model.objects.filter(slug=value[0]).values_list("pk", flat=True).first() if value else None
    return field.to_python(value)


def _correct(record, Model, changes, forwards: bool) -> list[str]:
    corrected = []
    for name, (old, new) in changes.items():
        before, after = (old, new) if forwards else (new, old)
        attname = Model._meta.get_field(name).attname
        if getattr(record, attname) != _stored(Model, name, before):
            continue  # changed by a curator since it was shipped: theirs stands
        if name == "slug" and Model.objects.filter(slug=after).exclude(pk=record.pk).exists():
            print(f"\n  Not renamed: {Model.__name__} {before!r} -> {after!r}, which another record already has.")
            continue
        setattr(record, attname, _stored(Model, name, after))
        corrected.append(name)
    return corrected


def _apply(apps, forwards: bool):
    now = timezone.now()
    for correction in json.loads(CORRECTIONS.read_text(encoding="utf-8")):
        Model = apps.get_model("corpus_app", correction["model"])
        changes = correction["changes"]
        key = correction["key"] if forwards or "slug" not in changes else [changes["slug"][1]]
        record = _record(Model, key)
        if record is None or not _correct(record, Model, changes, forwards):
            continue
        record.version += 1
        record.updated_at = now
        record.save()
        apps.get_model("corpus_history", f"Historical{Model.__name__}").objects.create(
            **{field.attname: getattr(record, field.attname) for field in Model._meta.concrete_fields},
            history_date=now,
            history_type="~",
            history_change_reason=REASONS[forwards],
        )


def forwards(apps, schema_editor):
    _apply(apps, forwards=True)


def backwards(apps, schema_editor):
    _apply(apps, forwards=False)


class Migration(migrations.Migration):
    dependencies = [
        ("corpus_app", "0006_quote_relayed_by"),
        ("corpus_history", "0002_quote_relayed_by"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
