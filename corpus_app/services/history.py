"""Reading the audit trail kept by django-simple-history."""


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
        model.history.bulk_history_create(missing, default_change_reason="Loaded from the curated corpus")
        created += len(missing)
    return created
