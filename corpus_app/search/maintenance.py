"""Bringing stored search text back in line with the records, after writes around the application."""

from django.db import transaction

from corpus_app.changes import record_change
from corpus_app.models import Article, Expert, Quote, Visit
from corpus_app.models.search_text import SEARCH_TEXT_FIELDS

SEARCHABLE_MODELS = (Article, Quote, Expert, Visit)
BATCH = 2000


def search_text_refresh(using: str = "default") -> dict[str, int]:
    """Fold every searchable record's text again and store what differs; {model label: rows corrected}.

    Every write through the models derives the search columns, so this only finds work after a raw
    SQL write, a restore from an old dump, or a change to the folding rules (search/folding.py).
    PostgreSQL's vectors and SQLite's full-text tables follow the columns by themselves.
    """
    corrected = {}
    for model in SEARCHABLE_MODELS:
        changed, count = [], 0
        rows = model._base_manager.using(using).order_by("pk")
        for record in rows.iterator(chunk_size=BATCH):
            stored = (record.search_head, record.search_rest)
            record.derive_search_text()
            if (record.search_head, record.search_rest) != stored:
                changed.append(record)
            if len(changed) == BATCH:
                count += _store(model, changed, using)
        count += _store(model, changed, using)
        corrected[model._meta.label] = count
    if any(corrected.values()):
        # What a search matches changed: the ETags and cached facets named by the old stamp are stale.
        record_change(using)
    return corrected


def _store(model, changed: list, using: str) -> int:
    # update() of the two columns only: a record's own save would move its version and timestamp.
    with transaction.atomic(using=using):
        model._base_manager.using(using).bulk_update(changed, SEARCH_TEXT_FIELDS)
    stored = len(changed)
    changed.clear()
    return stored
