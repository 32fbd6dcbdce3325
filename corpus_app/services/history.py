"""Reading the audit trail kept by django-simple-history."""

import datetime
import decimal

from simple_history import utils
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME

# Moved by every save: the entry's date already says when, and the version is how saves are told apart
# (models/base.py), not something a curator changed. Counts and search text are not in history at all.
BOOKKEEPING_FIELDS = frozenset({"version", "updated_at", "created_at"})
HISTORY_TYPES = {"+": "created", "~": "changed", "-": "deleted"}

# The change reasons of the entries written by commands rather than by someone signed in.
CORPUS_LOAD_REASON = "Loaded from the curated corpus"
FIXTURE_OVERWRITE_REASON = "Overwritten from fixture"
ARCHIVE_IMPORT_REASON = "Imported from a corpus archive"


def history_actor(record) -> str:
    """Who made a history entry, as the history page says it: the user, else what wrote it.

    An entry without a user was written by a command, whose reason says which: the corpus's load
    (`load_corpus_once`, `loaddata`), an archive's import; any other is "system" (the shell, a
    script; or a user deleted since, whom the entry no longer names).
    """
    if record.history_user_id is not None:
        return str(record.history_user)
    reason = record.history_change_reason or ""
    if reason.startswith((CORPUS_LOAD_REASON, FIXTURE_OVERWRITE_REASON)):
        return "corpus load"
    if reason.startswith(ARCHIVE_IMPORT_REASON):
        return "archive import"
    return "system"


def deleted_records(model, *, limit: int = 200):
    """The deletion entry of each record of `model` whose latest entry is a deletion.

    One row per record: a record deleted, restored and deleted again has two deletion entries, and
    only the latest of its entries says whether it is gone now.
    """
    live = model._base_manager.values("pk")
    return (
        model.history.latest_of_each()
        .filter(history_type="-")
        .exclude(id__in=live)
        .select_related("history_user")
        .order_by("-history_date")[:limit]
    )


def version_links(instance) -> dict[str, list[int]]:
    """The many-to-many links a past version recorded, by field: {"cities": [3, 7]}; {} for a record not
    read from its history. One query per field simple-history records (a visit's cities, an article's
    visits).

    simple-history's revert and restore build the record from the version's fields alone, so the form
    showed the links the record has now: none, for a deleted one, whose links went with it. A form
    opened on a version (admin/forms.py) starts from these instead. Records deleted since are left out:
    nothing can link to them, and the form could not show them.
    """
    version = getattr(instance, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None)
    if version is None:
        return {}
    links = {}
    for field in version._history_m2m_fields:
        target = field.remote_field.model
        recorded = getattr(version, field.name).values(utils.get_m2m_reverse_field_name(field))
        links[field.name] = list(
            target._base_manager.filter(pk__in=recorded).order_by("pk").values_list("pk", flat=True)
        )
    return links


def history_baseline_create(models=None) -> int:
    """Give every record without a history entry a first one, so edits can be reverted to it.

    Fixture rows load raw, which simple-history does not record (except m2m changes, which is why
    its own `populate_history --auto` skips a model once any of its rows has an entry).
    """
    from django.apps import apps

    created = 0
    for model in models or apps.get_app_config("corpus_app").get_models():
        if not hasattr(model, "history"):
            continue
        missing = list(model.objects.exclude(pk__in=model.history.values("id")))
        model.history.bulk_history_create(missing, default_change_reason=CORPUS_LOAD_REASON)
        created += len(missing)
    return created


def history_page(model, pk: int, *, before: int | None = None, limit: int = 20) -> tuple[list[dict], int | None]:
    """A record's history entries, newest first, each with who, when, why and what changed.

    Keyset-paged on the entry's id (`before`: the last id of the previous page); (entries, the
    `before` of the next page or None). The entry after the page is read too, to diff the page's last
    entry against it. A deleted record keeps its history, so a mirror learns what was deleted.
    """
    entries = model.history.filter(id=pk).select_related("history_user").order_by("-history_id")
    if before is not None:
        entries = entries.filter(history_id__lt=before)
    rows = list(entries[: limit + 1])
    page = rows[:limit]
    listed = []
    for index, entry in enumerate(page):
        previous = rows[index + 1] if index + 1 < len(rows) else None
        listed.append(
            {
                "history_id": entry.history_id,
                "version": entry.version,
                "type": HISTORY_TYPES[entry.history_type],
                "date": entry.history_date,
                "by": history_actor(entry),
                "reason": entry.history_change_reason or "",
                "changes": changes_between(model, entry, previous),
            }
        )
    return listed, (page[-1].history_id if len(rows) > limit else None)


def changes_between(model, entry, previous) -> list[dict]:
    """What an entry changed since the one before it: [{"field", "old", "new"}], relations as ids.

    A creation (or the oldest entry kept) lists the values it was made with, "old" None.
    """
    if entry.history_type == "-":
        return []
    if previous is None or entry.history_type == "+":
        fields = [f for f in model._meta.concrete_fields if f.name in model.curated_fields]
        return [
            {"field": f.name, "old": None, "new": _plain(getattr(entry, f.attname))}
            for f in fields
            if getattr(entry, f.attname) not in (None, "")
        ]
    delta = entry.diff_against(previous, excluded_fields=BOOKKEEPING_FIELDS)
    many = {field.name for field in model._meta.many_to_many}

    def value(change, side):
        return _related_ids(model, side) if change.field in many else _plain(side)

    return [
        {"field": change.field, "old": value(change, change.old), "new": value(change, change.new)}
        for change in delta.changes
    ]


def _related_ids(model, rows) -> list[int]:
    """A many-to-many as simple-history diffs it (a row of the through table each) as the ids it names."""
    own = model._meta.model_name
    return sorted(v for row in rows or () for key, v in row.items() if key != own)


def _plain(value):
    """A history value as JSON holds it: dates as ISO 8601, anything else not JSON as its text."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return str(value)
