"""Reading the audit trail kept by django-simple-history."""

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
