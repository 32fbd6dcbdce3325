"""A time budget for one request's facets, so that costly facets never cost the page they come with.

Each facet is a GROUP BY over every filtered row (facets.py): quick for a filter, but a search word
most articles hold makes each facet read most of the table, and eight such facets added up could
reach the request's statement timeout (transaction_bounds.py), when the whole request, page and all,
would be answered 503. Instead, on PostgreSQL, the request's facets share API_FACETS_TIME_BUDGET_MS:
each runs in a savepoint with the time left as its statement timeout, and one that is cancelled, or
finds no time left, is answered `"counted": false` with what to do. The page, and every facet that
was counted, stand. SQLite cancels nothing: there every facet is counted, however long it takes.
"""

import time
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connections, transaction

from corpus_app.api.exceptions import QUERY_CANCELED, sqlstate

NOT_COUNTED = object()


class FacetBudget:
    def __init__(self, using: str):
        self.connection = connections[using]
        self.budget_ms = int(settings.API_FACETS_TIME_BUDGET_MS)
        self.started = time.monotonic()
        self.timeout_changed = False  # by a facet counted under its own timeout, whose savepoint kept it

    @property
    def applies(self) -> bool:
        return self.connection.vendor == "postgresql" and self.budget_ms > 0

    def left_ms(self) -> int:
        return int(self.budget_ms - (time.monotonic() - self.started) * 1000)

    @contextmanager
    def spending(self):
        """Around the facets of a request: afterwards, the request's own statement timeout is back."""
        try:
            yield self
        finally:
            if self.timeout_changed and self.connection.in_atomic_block:
                request_ms = int(settings.API_STATEMENT_TIMEOUT_MS)
                with self.connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL statement_timeout = {request_ms}")

    def run(self, counting):
        """`counting()`, or NOT_COUNTED if it does not finish within the time left (on PostgreSQL)."""
        if not self.applies:
            return counting()
        left = self.left_ms()
        if left < 1:
            return NOT_COUNTED
        request_ms = int(settings.API_STATEMENT_TIMEOUT_MS)
        timeout = min(left, request_ms) if request_ms else left
        try:
            with transaction.atomic(using=self.connection.alias):
                with self.connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL statement_timeout = {timeout}")
                counted = counting()
            self.timeout_changed = True  # released, the savepoint leaves SET LOCAL in force (rolled back, not)
            return counted
        except OperationalError as error:
            if sqlstate(error) != QUERY_CANCELED:
                raise
            return NOT_COUNTED

    def uncounted(self) -> dict:
        """A facet's answer when it was not counted in time."""
        return {
            "values": [],
            "more": True,
            "counted": False,
            "detail": f"Not counted within the facets' {self.budget_ms} ms: narrow the list (a filter, a rarer "
            "search word) or ask for fewer facets at once.",
        }
