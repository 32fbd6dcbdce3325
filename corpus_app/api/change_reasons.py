"""A record's history says which API request changed it: "API: PATCH /api/quotes/12/".

The admin's entries name their curator and page; an API write otherwise left only its token's user, with
no word of how. One receiver for every history entry any API view writes (a record, its visits or cities,
a deletion), whichever view and serializer save it, so a new endpoint is covered without a line here.
A reason set on purpose (`_change_reason`) is kept.
"""

from rest_framework.views import APIView
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

# simple-history's history_change_reason column.
REASON_LENGTH = 100


def api_change_reason(request) -> str | None:
    """The reason for a request an API view (DRF's) answers, "API: <method> <path>"; None for any other."""
    view = getattr(getattr(request, "resolver_match", None), "func", None)
    if not issubclass(getattr(view, "cls", object), APIView):
        return None
    return f"API: {request.method} {request.path}"[:REASON_LENGTH]


def record_api_change_reason(sender, history_instance, **kwargs):
    # The request simple-history's middleware keeps for the history user, also for the reason.
    request = getattr(HistoricalRecords.context, "request", None)
    if request is None or history_instance.history_change_reason:
        return
    history_instance.history_change_reason = api_change_reason(request)


def connect_receivers() -> None:
    pre_create_historical_record.connect(record_api_change_reason, dispatch_uid="corpus_api_change_reason")
