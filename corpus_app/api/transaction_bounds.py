"""What an API request's transaction may do on PostgreSQL: a statement timeout, foreign keys checked at once.

ATOMIC_REQUESTS runs each request in one transaction; both settings are made at its start with
SET LOCAL or SET CONSTRAINTS, which end with it. Management commands, imports, the admin and anything
else on the connection keep their own bounds.

- statement_timeout (settings.API_STATEMENT_TIMEOUT_MS, 0 for none): however a client combines
  search, filters and ordering, no query of its request holds a database backend longer. The
  cancelled query is answered 503 (corpus_app/api/exceptions.py).
- Django creates foreign keys DEFERRABLE INITIALLY DEFERRED, checked at COMMIT, which ATOMIC_REQUESTS
  runs after the view has returned, outside DRF's exception handling: an article written while its
  outlet is deleted would fail there, as a 500. Checked at once, the violation is an IntegrityError
  inside the view, answered 409 and rolled back.

A read that a replica serves (config/ops/replicas.py) runs without a transaction per request, so
`using` names a replica only to do nothing: the replica's connection carries the same statement
timeout for its whole session, and a read-only replica has no foreign keys to check.

SQLite has neither setting. It serialises writers, so a create cannot interleave with a delete the
same way; a deferred check failing at commit is still answered 409 (corpus_app/api/json_errors.py).
"""

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, router
from rest_framework import permissions
from rest_framework.views import APIView


def bound_request_transaction(using: str = DEFAULT_DB_ALIAS) -> None:
    connection = connections[using]
    # Outside a transaction (ATOMIC_REQUESTS off) SET LOCAL would change nothing but warn.
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        return
    statements = ["SET CONSTRAINTS ALL IMMEDIATE"]
    timeout_ms = int(settings.API_STATEMENT_TIMEOUT_MS)
    if timeout_ms:
        statements.append(f"SET LOCAL statement_timeout = {timeout_ms}")
    with connection.cursor() as cursor:
        # One round trip: every API request pays it.
        cursor.execute("; ".join(statements))


def lock_for_write(model, pk) -> bool:
    """Lock the row a PUT, PATCH or DELETE is about until the request's transaction ends; False if it is gone.

    Without it, an update racing a delete would find the row gone at save time, and a save of a record
    that no longer exists inserts it again (CorpusModel.save: that is how history reverts a deletion):
    the deleted record would come back. Locked, the delete waits for the update, or came first and
    the update is a 404. (SQLite ignores the lock: its writers are serialised.) Outside a transaction
    (the browsable API renders its forms after the view's transaction) there is nothing to lock for.
    """
    rows = model._base_manager.filter(pk=pk)
    if connections[rows.db].in_atomic_block:
        rows = rows.select_for_update()
    return rows.exists()


class BoundedReadView(APIView):
    """A read-only view of what the lists show to anyone (search, counts, deletions): open to every client,
    its transaction bounded on the database that serves reads of `read_model`.

    AllowAny rather than the settings' DjangoModelPermissionsOrAnonReadOnly, whose model permissions
    need a queryset these views have not.
    """

    permission_classes = [permissions.AllowAny]
    read_model = None

    def initial(self, request, *args, **kwargs):
        bound_request_transaction(using=router.db_for_read(self.read_model))
        super().initial(request, *args, **kwargs)
