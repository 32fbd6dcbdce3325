"""Turn database refusals into the HTTP answers a client can act on, never a 500.

DRF handles its own exceptions only; a delete blocked by PROTECT, a model ValidationError, an
IntegrityError from a race between two writers, a query the statement timeout cancelled, or a request
Django refuses to read would otherwise reach the client as a server error.
"""

import logging
import re
from collections import Counter

from django.apps import apps
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, SuspiciousOperation, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, OperationalError
from django.db.models import ProtectedError, RestrictedError
from rest_framework import exceptions, status
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from corpus_app.models import StaleVersionError, StillListedError


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The record has changed since the version named in If-Match."
    default_code = "precondition_failed"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the data as it stands."
    default_code = "conflict"


class DatabaseTimeout(exceptions.APIException):
    """A query of the request ran past API_STATEMENT_TIMEOUT_MS (corpus_app/api/transaction_bounds.py).

    503 rather than 500: the server is sound, and a narrower request, or the same one later, can succeed.
    """

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "database_timeout"

    def __init__(self):
        timeout_ms = settings.API_STATEMENT_TIMEOUT_MS
        # Without a timeout of ours, the database's own, or an administrator, cancelled the query.
        within = f"within {timeout_ms / 1000:g} s" if timeout_ms else "in time"
        super().__init__(
            f"The database did not answer {within}, so this request was cancelled and nothing was changed. "
            "Ask for less (fewer search words, a filter, a smaller page_size), or try again later."
        )


class DatabaseBusy(exceptions.APIException):
    """SQLite's one writer held the database longer than its busy timeout (settings: 20 s), as a long
    import does: the request waited its turn, and in vain. 503 with Retry-After, not 500: nothing was
    changed, and the same request succeeds once the write is over."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "database_busy"
    default_detail = "The database is busy with a long write; nothing was changed. Try again in a moment."
    wait = 5  # seconds, sent as Retry-After by DRF's exception handler


class ReadCancelledByReplication(exceptions.APIException):
    """A read replica cancelled the request's query to replay the primary's changes (config/ops/replicas.py).

    A hot standby does that to a query still reading rows that replay must remove ("conflict with
    recovery"). The same request a moment later succeeds: 503, not 500.
    """

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "read_cancelled_by_replication"
    default_detail = (
        "The database copy answering this read cancelled it to apply newer changes; nothing was changed. Try again."
    )


# PostgreSQL's SQLSTATE codes (https://www.postgresql.org/docs/current/errcodes-appendix.html).
QUERY_CANCELED = "57014"
SQLITE_LOCKED = "database is locked"  # SQLite's message: its errors carry no SQLSTATE
# What a hot standby raises on a conflict with recovery. The primary's READ COMMITTED transactions
# never serialise, so here it means a replica.
SERIALIZATION_FAILURE = "40001"
FOREIGN_KEY_VIOLATION = "23503"
DEADLOCK_DETECTED = "40P01"
COLLIDED = (
    "This change collided with another saved at the same moment, and the database undid it: nothing was saved. "
    "Send it again."
)

VANISHED_DURING_WRITE = (
    "A record this one refers to was deleted while this request ran, so nothing was saved. Check the ids and try again."
)


def sqlstate(error: Exception) -> str | None:
    """The SQLSTATE of the driver's error under a Django database error (psycopg 3 or psycopg2)."""
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)


def validation_error_from_django(error: DjangoValidationError) -> exceptions.ValidationError:
    """DRF's form of a model ValidationError: messages per field, cross-field ones under non_field_errors."""
    detail = as_serializer_error(error)
    if NON_FIELD_ERRORS in detail:
        detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
    return exceptions.ValidationError(detail)


def _constraint_messages() -> dict[str, str]:
    """Each corpus constraint's name and the sentence it was given for people."""
    messages = {}
    for model in apps.get_app_config("corpus_app").get_models():
        for constraint in model._meta.constraints:
            messages[constraint.name] = str(constraint.get_violation_error_message())
    return messages


def foreign_key_detail(error: IntegrityError) -> str:
    """A foreign key refused: the only way past validation is a record deleted by a concurrent request."""
    diag = getattr(error.__cause__, "diag", None)
    detail = getattr(diag, "message_detail", None) or ""
    if "still referenced" in detail:
        return "Not deleted: a record saved while this request ran refers to it. Nothing was changed."
    column = re.match(r"Key \((\w+?)(?:_id)?\)=", detail)
    if column:
        return (
            f"The {column.group(1)} this refers to was deleted while this request ran, so nothing was saved. "
            "Check the ids and try again."
        )
    return VANISHED_DURING_WRITE


def integrity_error_detail(error: IntegrityError) -> str:
    text = str(error)
    for name, message in _constraint_messages().items():
        if name in text:
            return message
    if sqlstate(error) == FOREIGN_KEY_VIOLATION or "FOREIGN KEY constraint failed" in text:
        return foreign_key_detail(error)
    if "unique" in text.lower():
        return "A record with these values already exists."
    return "The database refused this change because it conflicts with existing data."


def protected_error_detail(error: ProtectedError | RestrictedError) -> str:
    if isinstance(error, StillListedError):
        return error.args[0]
    blocking = Counter(obj._meta.verbose_name_plural for obj in error.protected_objects)
    listed = ", ".join(f"{count} {name}" for name, count in sorted(blocking.items()))
    return f"Not deleted: {listed} still refer to it, and deleting it would lose them. Reassign or delete those first."


def api_exception_for_database_error(exc: Exception) -> exceptions.APIException | None:
    """A database refusal no validation could foresee: a race (409), a timeout or a replica's cancel (503)."""
    if isinstance(exc, IntegrityError):
        return Conflict(integrity_error_detail(exc))
    if isinstance(exc, OperationalError) and sqlstate(exc) == QUERY_CANCELED:
        return DatabaseTimeout()
    if isinstance(exc, OperationalError) and str(exc) == SQLITE_LOCKED:
        return DatabaseBusy()
    if isinstance(exc, OperationalError) and sqlstate(exc) == SERIALIZATION_FAILURE:
        return ReadCancelledByReplication()
    if isinstance(exc, OperationalError) and sqlstate(exc) == DEADLOCK_DETECTED:
        # Writers lock the rows they count in one order (counts.py); a cycle through other locks is
        # still possible, and PostgreSQL breaks it by undoing one transaction whole.
        return Conflict(COLLIDED)
    return None


def bad_request_from_django(error: SuspiciousOperation) -> exceptions.ParseError:
    """A request Django refuses to read (over 1,000 query parameters): 400, as Django answers it elsewhere.

    Raised inside a DRF view, before content negotiation, it would become a 500. Logged as Django logs it.
    """
    logging.getLogger(f"django.security.{error.__class__.__name__}").error(str(error))
    if isinstance(error, TooManyFieldsSent):
        return exceptions.ParseError(f"More than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,} parameters.")
    return exceptions.ParseError("The request could not be read.")


def corpus_exception_handler(exc, context):
    if isinstance(exc, StaleVersionError):
        exc = Conflict(f"{exc} Read it again and redo the change.")
    elif isinstance(exc, (ProtectedError, RestrictedError)):
        exc = Conflict(protected_error_detail(exc))
    elif (mapped := api_exception_for_database_error(exc)) is not None:
        exc = mapped
    elif isinstance(exc, DjangoValidationError):
        exc = validation_error_from_django(exc)
    elif isinstance(exc, SuspiciousOperation):
        exc = bad_request_from_django(exc)
    if isinstance(exc, exceptions.ValidationError) and not isinstance(exc.detail, dict):
        # Some DRF checks (the search filter refusing a NUL) raise a bare list; clients get one shape.
        exc = exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: exc.detail})
    # The default handler answers every APIException and marks the request's transaction for rollback.
    return exception_handler(exc, context)
