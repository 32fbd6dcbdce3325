"""Request rates: anonymous clients by address, authenticated ones by user (README, API_THROTTLE_*)."""

from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class AuthenticatedUserRateThrottle(UserRateThrottle):
    """DRF's UserRateThrottle, for authenticated clients only.

    DRF's also counts an anonymous client, by address, against the user rate: a second read and write
    of the shared cache on every anonymous request (a file write each with the default cache, a fifth
    of a list request's time in bench/request_profile.py), for a budget AnonRateThrottle already
    keeps for the same address. The user rate is for authenticated clients, as the README says.
    """

    def allow_request(self, request, view):
        if not request.user.is_authenticated:
            return True
        return super().allow_request(request, view)


class AnonymousExportRateThrottle(AnonRateThrottle):
    """Exports by anonymous clients, by address (API_THROTTLE_EXPORT_ANON), on top of the anonymous rate:
    an export reads up to API_EXPORT_ANONYMOUS_ROWS rows, a page at most 500. Authenticated clients' exports
    count against their user rate only."""

    scope = "export_anon"
