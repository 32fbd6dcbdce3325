"""Request rates: anonymous clients by address, authenticated ones by user (README, API_THROTTLE_*).

Counts live in the shared cache (config/ops/cache.py). When it cannot be reached (Redis down), a rate
cannot be checked: the request is answered 503 with Retry-After, saying so, rather than a 500 or
let through unmetered; /readyz reports the cache too.
"""

import logging

from rest_framework import exceptions, status
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle

logger = logging.getLogger(__name__)


class RatesUncheckable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "rates_uncheckable"
    default_detail = "Request rates cannot be checked just now (the server's cache is unreachable). Try again soon."
    wait = 30


class CacheFailureRefuses:
    """A throttle whose cache failing answers 503 (RatesUncheckable) instead of raising a 500."""

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception as error:  # the cache backend's own errors: redis.ConnectionError, OSError…
            logger.error("throttle cache unreachable: %s", type(error).__name__)
            raise RatesUncheckable() from None


class CorpusAnonRateThrottle(CacheFailureRefuses, AnonRateThrottle):
    pass


class CorpusScopedRateThrottle(CacheFailureRefuses, ScopedRateThrottle):
    pass


class AuthenticatedUserRateThrottle(CacheFailureRefuses, UserRateThrottle):
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


class AnonymousExportRateThrottle(CorpusAnonRateThrottle):
    """Exports by anonymous clients, by address (API_THROTTLE_EXPORT_ANON), on top of the anonymous rate:
    an export reads up to API_EXPORT_ANONYMOUS_ROWS rows, a page at most 500. Authenticated clients' exports
    count against their user rate only."""

    scope = "export_anon"
