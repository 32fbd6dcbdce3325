"""Turn database refusals into the HTTP answers a client can act on, never a 500.

DRF handles its own exceptions only; a delete blocked by PROTECT, a model ValidationError, or an
IntegrityError from a race between two writers would otherwise reach the client as a server error.
"""

from collections import Counter

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import JsonResponse
from django.views.defaults import page_not_found
from rest_framework import exceptions, status
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from corpus_app.models import StaleVersionError


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The record has changed since the version named in If-Match."
    default_code = "precondition_failed"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the data as it stands."
    default_code = "conflict"


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


def integrity_error_detail(error: IntegrityError) -> str:
    text = str(error)
    for name, message in _constraint_messages().items():
        if name in text:
            return message
    if "unique" in text.lower():
        return "A record with these values already exists."
    return "The database refused this change because it conflicts with existing data."


def protected_error_detail(error: ProtectedError | RestrictedError) -> str:
    blocking = Counter(obj._meta.verbose_name_plural for obj in error.protected_objects)
    listed = ", ".join(f"{count} {name}" for name, count in sorted(blocking.items()))
    return f"Not deleted: {listed} still refer to it, and deleting it would lose them. Reassign or delete those first."


def corpus_exception_handler(exc, context):
    if isinstance(exc, StaleVersionError):
        exc = Conflict(f"{exc} Read it again and redo the change.")
    elif isinstance(exc, (ProtectedError, RestrictedError)):
        exc = Conflict(protected_error_detail(exc))
    elif isinstance(exc, IntegrityError):
        exc = Conflict(integrity_error_detail(exc))
    elif isinstance(exc, DjangoValidationError):
        exc = validation_error_from_django(exc)
    if isinstance(exc, exceptions.ValidationError) and not isinstance(exc.detail, dict):
        # Some DRF checks (the search filter refusing a NUL) raise a bare list; clients get one shape.
        exc = exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: exc.detail})
    # The default handler answers every APIException and marks the request's transaction for rollback.
    return exception_handler(exc, context)


def not_found(request, exception):
    """Django's 404 for unrouted URLs: JSON under /api/, the usual page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)
