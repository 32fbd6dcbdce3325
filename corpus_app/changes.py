"""When the corpus last changed: the validators (ETag, Last-Modified) of every API read.

One stamp for the whole corpus rather than one per record: a read embeds other records (a quote
carries its speaker's name and its position in the article's body, an article its number of quotes),
so a rename or a new quote changes the representation of records that were not saved. Tracing which
reads embed which records would be one more rule to keep true as representations grow; one
generation is always right, at the price of a full answer instead of a 304 after any change anywhere,
which an archive read far more often than written can afford.

The stamp moves after commit, in its own short statement. Moved inside the writing transaction, its
single row would stay locked until commit, serialising every writer, and could deadlock with row
locks taken in another order. Moved after commit, a reader may for an instant see new rows under the
old generation: its tag then names the older generation, so it gets the full answer again once the
stamp moves, never a stale 304. A process that dies between its commit and the move leaves the stamp
behind until the next change; `migrate` and bulk loads (counts.after_bulk_load) move it too.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils import timezone

from corpus_app.models import CorpusChangeStamp

STAMP_PK = 1


def stamp_advance(using: str = "default") -> None:
    stamps = CorpusChangeStamp.objects.using(using)
    if not stamps.filter(pk=STAMP_PK).update(generation=F("generation") + 1, changed_at=timezone.now()):
        stamps.get_or_create(pk=STAMP_PK, defaults={"generation": 1})


def record_change(using: str = "default") -> None:
    """Move the stamp once the current transaction commits (now, outside one); once per transaction."""
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        stamp_advance(using)
        return
    pending = getattr(connection, "corpus_stamp_pending", None)
    # Callbacks of a rolled-back savepoint leave run_on_commit, so this asks whether ours is still due.
    if pending is not None and any(entry[1] is pending for entry in connection.run_on_commit):
        return

    def pending():
        connection.corpus_stamp_pending = None
        stamp_advance(using)

    connection.corpus_stamp_pending = pending
    transaction.on_commit(pending, using=using, robust=True)


@dataclass(frozen=True)
class Stamp:
    token: str  # names this state of the corpus in validators
    changed_at: datetime | None


def current_stamp() -> Stamp:
    """The stamp as the database that serves reads holds it.

    The token joins the time of the change to the microsecond with the generation, so that a stamp
    restored from a backup (or a database recreated from nothing) never repeats a token a client
    holds: loading moves the stamp on to the present.
    """
    rows = list(CorpusChangeStamp.objects.filter(pk=STAMP_PK).values_list("generation", "changed_at"))
    if not rows:
        return Stamp("0", None)
    ((generation, changed_at),) = rows
    return Stamp(f"{int(changed_at.timestamp() * 1_000_000):x}-{generation:x}", changed_at)


def _changed(sender, using="default", **kwargs):
    record_change(using)


def _migrated(sender, using="default", **kwargs):
    # A migration may rewrite rows (0007 corrected the seeds) without a signal. Not when migrated back
    # to before the stamp's table existed.
    from django.db import connections

    if CorpusChangeStamp._meta.db_table in connections[using].introspection.table_names():
        stamp_advance(using)


def connect_receivers(app_config) -> None:
    from corpus_app.models import Article, CorpusModel, Visit

    for model in app_config.get_models():
        if issubclass(model, CorpusModel):
            for signal in (post_save, post_delete):
                signal.connect(_changed, sender=model, dispatch_uid=f"stamp_{signal}_{model._meta.label}")
    for through in (Article.visits.through, Visit.cities.through):
        m2m_changed.connect(_changed, sender=through, dispatch_uid=f"stamp_m2m_{through._meta.label}")
    post_migrate.connect(_migrated, sender=app_config, dispatch_uid="stamp_after_migrate")
