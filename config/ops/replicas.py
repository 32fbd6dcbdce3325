"""Read replicas: the API's reads go to PostgreSQL streaming replicas, everything else to "default".

Replicas are opt-in per request, never the other way round: code reads the primary unless the
request it runs in was declared replica-safe (config/ops/read_your_writes.py decides that before the
view). So management commands, the shell, imports, the admin and every write request see the primary
and never a lagging copy, and a path added later is on the primary until someone says otherwise.

Within a replica-safe request, the primary still serves:
- account records (users, tokens, sessions): a revoked token, a deactivated user or a logout takes
  effect at once rather than after the replication lag, and a token just created works at once;
- everything after the request wrote anything (every write asks `db_for_write`, as does
  `select_for_update`): what it wrote, it reads back;
- reads inside an atomic block of the code's own on the primary (beyond the request's
  ATOMIC_REQUESTS one): whoever opened it wants one consistent view of the primary.

One replica serves a whole request, chosen at random when the request first reads: its list and its
count come from the same server (replicas lag by different amounts), and random needs no state
shared between gunicorn's workers, which round-robin per process would start in step. A replica that
refuses a connection is left out by this process for REPLICA_RETRY_SECONDS and the request reads
from another, or from the primary: a replica down costs the primary load, not failed reads.
"""

import logging
import random
import time
from contextvars import ContextVar
from dataclasses import dataclass

import dj_database_url
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger("corpus.replicas")

REPLICA_ALIAS_PREFIX = "replica_"
# A replica that does not answer is given up on quickly: the request then reads from the primary.
REPLICA_CONNECT_TIMEOUT_SECONDS = 2
# How long a process leaves out a replica that refused a connection before trying it again.
REPLICA_RETRY_SECONDS = 30.0
# Read from the primary always: changes to accounts must take effect at once, not after the lag.
PRIMARY_ONLY_APPS = frozenset({"auth", "authtoken", "sessions", "axes"})


def replica_databases(urls: list[str], *, primary: dict, statement_timeout_ms: int) -> dict[str, dict]:
    """DATABASES entries "replica_1", "replica_2", ... for the replica URLs, connected like `primary`."""
    return {
        f"{REPLICA_ALIAS_PREFIX}{number}": replica_database(
            url, primary=primary, statement_timeout_ms=statement_timeout_ms
        )
        for number, url in enumerate(urls, start=1)
    }


def replica_database(url: str, *, primary: dict, statement_timeout_ms: int) -> dict:
    database = dj_database_url.parse(
        url, conn_max_age=primary["CONN_MAX_AGE"], conn_health_checks=primary["CONN_HEALTH_CHECKS"]
    )
    # No transaction per request: ATOMIC_REQUESTS would connect to every replica on every request,
    # the admin's and the writes' included. Replicas are read in autocommit.
    database["ATOMIC_REQUESTS"] = False
    # Tests read "replicas" from the test database itself, through a connection of their own.
    database["TEST"] = {"MIRROR": DEFAULT_DB_ALIAS}
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        # Without a transaction per request, SET LOCAL (transaction_bounds.py) cannot bound the
        # replica's queries; only API requests read replicas, so the same bound holds for the session.
        # Read-only too: a write misrouted here fails loudly, in tests as on a hot standby.
        settings_for_session = ["-c default_transaction_read_only=on"]
        if statement_timeout_ms:
            settings_for_session.append(f"-c statement_timeout={statement_timeout_ms}")
        options["options"] = " ".join([options.get("options", ""), *settings_for_session]).strip()
        options.setdefault("connect_timeout", REPLICA_CONNECT_TIMEOUT_SECONDS)
    return database


def replica_aliases() -> list[str]:
    return [alias for alias in connections if alias.startswith(REPLICA_ALIAS_PREFIX)]


@dataclass
class RequestReads:
    """Where the current request reads: whether a replica may serve it and, once chosen, which."""

    replica_allowed: bool
    replica: str | None = None
    # Atomic blocks open on the primary when the replica was chosen: the request's own (ATOMIC_REQUESTS).
    primary_blocks_at_choice: int = 0


# A context variable rather than a thread-local: correct for gunicorn's sync workers, for threads and
# for async code alike. None outside a request: commands and scripts read the primary.
_request_reads: ContextVar[RequestReads | None] = ContextVar("corpus_request_reads", default=None)


def start_request_reads(*, replica_allowed: bool):
    """Declare where the request about to run may read; give the token back to `end_request_reads`."""
    return _request_reads.set(RequestReads(replica_allowed=replica_allowed))


def end_request_reads(token) -> None:
    _request_reads.reset(token)


_replica_down_until: dict[str, float] = {}


def answering_replica() -> str:
    """A replica that accepts a connection, at random, or the primary when none does."""
    now = time.monotonic()
    candidates = [alias for alias in replica_aliases() if _replica_down_until.get(alias, 0.0) <= now]
    random.shuffle(candidates)
    for alias in candidates:
        try:
            # Connects, or checks a kept connection (CONN_HEALTH_CHECKS), before any query relies on it.
            connections[alias].cursor().close()
        except DatabaseError as error:
            _replica_down_until[alias] = now + REPLICA_RETRY_SECONDS
            logger.warning(
                "Database %s refused a connection (%s); reading from another for %g s.",
                alias,
                type(error).__name__,
                REPLICA_RETRY_SECONDS,
            )
            continue
        return alias
    return DEFAULT_DB_ALIAS


def _primary_atomic_blocks() -> int:
    return len(connections[DEFAULT_DB_ALIAS].atomic_blocks)


class PrimaryReplicaRouter:
    """Writes to "default"; reads to a replica when the request allows it (module docstring)."""

    def db_for_read(self, model, **hints):
        reads = _request_reads.get()
        if reads is None or not reads.replica_allowed or model._meta.app_label in PRIMARY_ONLY_APPS:
            return DEFAULT_DB_ALIAS
        if reads.replica is None:
            # The first read of a request comes before any atomic block of the code's own (the API's
            # first is in CorpusViewSet.initial): whatever is open now is the request's transaction.
            reads.replica = answering_replica()
            reads.primary_blocks_at_choice = _primary_atomic_blocks()
        if _primary_atomic_blocks() > reads.primary_blocks_at_choice:
            return DEFAULT_DB_ALIAS
        return reads.replica

    def db_for_write(self, model, **hints):
        reads = _request_reads.get()
        if reads is not None:
            # What this request writes, it reads back from the primary, to the end of the request.
            reads.replica_allowed = False
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Replicas are copies of the primary: a record read from one may refer to one read from another.
        ours = {DEFAULT_DB_ALIAS, *replica_aliases()}
        if obj1._state.db in ours and obj2._state.db in ours:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # Replicas replay the primary's schema changes; migrating them would fail (they are read-only).
        return db == DEFAULT_DB_ALIAS
