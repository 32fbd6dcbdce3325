"""One consistent view of the corpus for a long read: every export's batches see the same database."""

from contextlib import contextmanager

from django.db import connections, transaction


@contextmanager
def read_snapshot(using: str = "default"):
    """A transaction on database `using` whose queries all read one snapshot (repeatable read on PostgreSQL).

    A curator's edit during a long export must not give a quote whose article, as exported, no longer
    covers its visit. SQLite gives one snapshot to a read transaction by itself; inside a transaction
    already open (a test's), the caller's isolation stands.
    """
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def batches_by_id(queryset, names, batch_size: int):
    """The rows' values (and their "pk") a batch at a time in id order: constant memory, and each batch
    found by an index range after the last id, never by OFFSET, which rereads every earlier row."""
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last).order_by("pk").values("pk", *names)[:batch_size])
        if not batch:
            return
        yield batch
        last = batch[-1]["pk"]
