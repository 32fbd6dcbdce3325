"""Health endpoints for a load balancer or an orchestrator: anonymous, JSON, never throttled.

- /healthz, liveness: the process answers. It touches nothing else, so a database outage never gets
  healthy processes restarted.
- /readyz, readiness: this process can serve: the database answers a trivial query, the cache
  (which the API's throttles need on every request) answers, and the database holds every
  migration the code expects. 503 otherwise, naming the failing check but not its error's text,
  which may carry host names.
  Read replicas (config/ops/replicas.py), if any, are probed too and reported under "replicas",
  but never make the process unready: reads fail over to the primary, so the process still serves,
  and one replica down must not take every process out of the load balancer at once.

Plain Django views rather than API views, so that DRF's throttles and authentication never apply,
and outside ATOMIC_REQUESTS, so that /healthz opens no database connection and /readyz sees a
database failure in its own check instead of in the transaction Django would open around it.
"""

import threading
import time
from functools import partial

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from config.ops.replicas import replica_aliases

# Finding unapplied migrations reads every migration module and builds their graph: tens of
# milliseconds, too much for a probe that runs every few seconds. Code cannot gain migrations while
# its process runs, so once all are applied the answer is reused for this long; a database restored
# from an older backup is noticed within the interval.
MIGRATIONS_RECHECK_SECONDS = 60.0

_migrations_applied_at: float | None = None
_migrations_lock = threading.Lock()


@never_cache
@require_safe
@transaction.non_atomic_requests
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
@transaction.non_atomic_requests
def readyz(request):
    checks = {"database": _check(database_answers), "cache": _check(cache_answers)}
    if checks["database"] == "ok":
        checks["migrations"] = _check(migrations_applied)
    ready = all(result == "ok" for result in checks.values())
    if aliases := replica_aliases():
        checks["replicas"] = {alias: _check(partial(database_answers, alias)) for alias in aliases}
    return JsonResponse({"status": "ready" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)


def _check(probe) -> str:
    try:
        return probe()
    except Exception as error:  # any failure makes the process unready; the probe must answer, not raise
        return f"failed: {type(error).__name__}"


def database_answers(alias: str = DEFAULT_DB_ALIAS) -> str:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def cache_answers() -> str:
    cache.set("corpus:readyz", time.time(), 30)
    return "ok"


def migrations_applied() -> str:
    global _migrations_applied_at
    checked = _migrations_applied_at
    if checked is not None and time.monotonic() - checked < MIGRATIONS_RECHECK_SECONDS:
        return "ok"
    with _migrations_lock:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            _migrations_applied_at = None
            return f"failed: {len(pending)} unapplied"
        _migrations_applied_at = time.monotonic()
    return "ok"
