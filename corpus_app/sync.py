"""`updated_at` says when what the API shows of a record last changed, so that `?updated_since=` finds it.

A read embeds other records: a quote carries its speaker's name, its article's title and its visit's
dates; an article its outlet and visits; a visit its cities, participants, latest articles and counts.
A client mirroring the corpus with `?updated_since=` must get the quote again when its speaker is
renamed, though the quote itself was not saved. So besides a record's own save (models/base.py), its
`updated_at` moves when:

- a record it embeds changes what the embedding shows (EMBEDDINGS: the brief fields of serializers.py),
  or is deleted from under it (a visit deleted takes its links to articles with it, without signals);
- one of its maintained counts moves (counts.py moves `updated_at` with the count, in the same UPDATE);
- its own many-to-many links change (`article.visits.add(...)` saves no article).

Its version does not move: the curator's fields are as they were, so an edit based on them is not stale
(as for a quote whose position moved with its article's body, provenance.quote_positions_refresh).

Raw saves (fixture loads, archive imports) are left alone: the rows they write carry the timestamps
their source gives.

`sync_point()` is the other half of a mirror: the `since` a client may safely ask for next time.
"""

import contextlib
import contextvars
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import connections
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils import timezone

from corpus_app.models import Article, City, Expert, Outlet, Quote, Visit, VisitParticipant


@dataclass(frozen=True)
class Embedding:
    """Records of `model` show the EMBEDDED_FIELDS of each record that `lookup` (a filter on `model`) names."""

    model: type
    lookup: str


# What each record shows of others, by the embedded model: the brief serializers' fields
# (api/serializers.py), and the embedding records. A participation shows all its fields in its visit.
EMBEDDED_FIELDS = {
    Expert: ("slug", "name"),
    Outlet: ("slug", "name"),
    City: ("slug", "name"),
    Article: ("slug", "title", "published_date", "published_date_precision"),
    Visit: ("slug", "title", "start_date", "start_date_precision", "end_date", "end_date_precision"),
    VisitParticipant: ("person_id", "role", "office", "inferred", "note", "visit_id"),
}
EMBEDDINGS = {
    Expert: (
        Embedding(Quote, "speaker"),
        Embedding(Quote, "relayed_by"),
        Embedding(VisitParticipant, "person"),
        Embedding(Visit, "participations__person"),
    ),
    Outlet: (Embedding(Article, "outlet"),),
    City: (Embedding(Visit, "cities"),),
    Article: (Embedding(Quote, "article"), Embedding(Visit, "articles")),
    Visit: (Embedding(Quote, "visit"), Embedding(Article, "visits"), Embedding(VisitParticipant, "visit")),
    VisitParticipant: (Embedding(Visit, "participations"),),
}


_loading_raw = contextvars.ContextVar("corpus_sync_loading_raw", default=False)


@contextlib.contextmanager
def loading_raw_rows():
    """While a fixture's rows are saved raw: their links (set after each row, with signals) move no
    `updated_at`, since every row then holds the time its fixture gives (a reload changes nothing)."""
    token = _loading_raw.set(True)
    try:
        yield
    finally:
        _loading_raw.reset(token)


def now_unless_loading():
    """The `updated_at` a change moves to now, or None during a raw load."""
    return None if _loading_raw.get() else timezone.now()


def touch(model, **lookup) -> None:
    """Move `updated_at` of the records of `model` matching `lookup`, leaving their versions alone."""
    if (now := now_unless_loading()) is not None:
        model._base_manager.filter(**lookup).update(updated_at=now)


def _touch_embedding(model, pks) -> None:
    for embedding in EMBEDDINGS[model]:
        touch(embedding.model, **{f"{embedding.lookup}__in": pks})


def _shown(instance) -> tuple:
    return tuple(getattr(instance, name) for name in EMBEDDED_FIELDS[type(instance)])


def before_save(sender, instance, raw, **kwargs):
    if raw or instance._state.adding or instance.pk is None:
        return
    stored = sender._base_manager.filter(pk=instance.pk).values_list(*EMBEDDED_FIELDS[sender]).first()
    instance._shown_before_save = stored


def after_save(sender, instance, created, raw, **kwargs):
    if raw:
        return
    before = getattr(instance, "_shown_before_save", None)
    # A new record is embedded by nothing yet, except a participation, which its visit shows at once.
    if (created and sender is VisitParticipant) or (before is not None and before != _shown(instance)):
        _touch_embedding(sender, [instance.pk])
        if sender is VisitParticipant and before is not None and before[-1] != instance.visit_id:
            touch(Visit, pk=before[-1])  # moved to another visit: the one it left shows it no more
    instance._shown_before_save = _shown(instance)


def before_delete(sender, instance, **kwargs):
    # Before: a deleted visit's links to articles and cities go with it without a signal, and after
    # the delete nothing names the records that embedded it.
    _touch_embedding(sender, [instance.pk])


def links_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """article.visits and visit.cities: the record holding the field shows its links."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    holder = model if reverse else type(instance)
    if reverse:
        if pk_set:
            touch(holder, pk__in=pk_set)
        elif action == "post_clear":
            # visit.articles.clear(): the articles are unlinked already; counts.py read them before.
            touch(holder, pk__in=getattr(instance, "_links_removed", []))
    else:
        touch(holder, pk=instance.pk)


def connect_receivers() -> None:
    for model in EMBEDDINGS:
        uid = f"sync_{model._meta.label}"
        pre_save.connect(before_save, sender=model, dispatch_uid=f"{uid}_pre_save")
        post_save.connect(after_save, sender=model, dispatch_uid=f"{uid}_post_save")
        pre_delete.connect(before_delete, sender=model, dispatch_uid=f"{uid}_pre_delete")
    for through in (Article.visits.through, Visit.cities.through):
        m2m_changed.connect(links_changed, sender=through, dispatch_uid=f"sync_links_{through._meta.label}")
    # A participation deleted changes what its visit shows (before_delete covers it: it embeds nothing else).
    post_delete.connect(_participation_deleted, sender=VisitParticipant, dispatch_uid="sync_participation_deleted")


def _participation_deleted(sender, instance, **kwargs):
    touch(Visit, pk=instance.visit_id)


# ------------------------------------------------------------------ where a mirror's next round starts
OLDEST_OPEN_WRITE = """
    SELECT min(xact_start) FROM pg_stat_activity
    WHERE datname = current_database() AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()
"""


def sync_point(using: str = "default") -> datetime.datetime:
    """The `since` a client may ask for next time and miss nothing written before this call.

    A row's `updated_at` is set when it is written, not when its transaction commits: a write that
    commits late is stamped earlier than rows committed before it, so "since the newest row I saw"
    could skip it. The point therefore goes back to the start of the oldest transaction still writing
    (PostgreSQL shows them in pg_stat_activity; whatever they stamp is later than their start), and
    then SYNC_OVERLAP_SECONDS more, for clocks (the stamps are the application servers', the
    transaction starts the database's) and, on SQLite, which shows no open writers, for the longest
    write. A client sees some rows twice; it never misses one.
    """
    point = timezone.now()
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(OLDEST_OPEN_WRITE)
            (oldest,) = cursor.fetchone()
        if oldest is not None:
            point = min(point, oldest)
    return point - datetime.timedelta(seconds=settings.SYNC_OVERLAP_SECONDS)
