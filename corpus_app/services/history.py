"""Reading the audit trail kept by django-simple-history."""


def deleted_records(model, *, limit: int = 200):
    """The last historical entry of each record of `model` that has been deleted and not restored."""
    live = model._base_manager.values("pk")
    return (
        model.history.filter(history_type="-")
        .exclude(id__in=live)
        .select_related("history_user")
        .order_by("-history_date")[:limit]
    )
