"""Which requests may read from a replica, and read-your-writes: a writer reads the primary for a while.

Decided here, before the view, for the whole request (config/ops/replicas.py routes accordingly). A
request may read from a replica only if all of these hold:
- it is an API read (GET, HEAD or OPTIONS under /api/). Writes run on the primary from their first
  query to their last, reads included (a PATCH reads the version it checks If-Match against), and so
  does the admin, whose forms read a record's version and then save against it;
- its client wrote nothing in the last DATABASE_REPLICA_STICKY_SECONDS. After a successful write
  (an unsafe method answered below 400) the client is remembered twice: by user id in the shared
  cache, which covers every client of that account (a script's token, a curator's browser), and by a
  signed cookie, which covers a browser whose session is gone (a logout). Without this, the writer
  could read the record it just saved at its previous version from a lagging replica: its ETag would
  go backwards and its next If-Match would be refused.

DRF authenticates inside the view, so the user is found here by running the API's own
authentication classes once more: for a token, one more indexed lookup of the token, on the primary
(replicas.PRIMARY_ONLY_APPS). Anonymous requests, most of the reads, cost no query and no cache look-up.
"""

from django.conf import settings
from django.core.cache import cache
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.settings import api_settings

from config.ops.replicas import end_request_reads, start_request_reads

# The only part of the site whose reads replicas serve (config/urls.py mounts the API there).
REPLICA_READ_PATH_PREFIX = "/api/"
STICKY_COOKIE = "corpus_reads_primary"
_COOKIE_SALT = "corpus.read_your_writes"


def writer_cache_key(user_id) -> str:
    return f"corpus:reads-primary:user:{user_id}"


class ReadYourWritesMiddleware:
    """Declare, before the view, whether the request may read from a replica; remember writers after it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = start_request_reads(replica_allowed=self.may_read_replica(request))
        try:
            response = self.get_response(request)
        finally:
            end_request_reads(token)
        # After get_response, ATOMIC_REQUESTS has committed: the write is on the primary from now on.
        if request.method not in SAFE_METHODS and response.status_code < 400:
            self.remember_writer(request, response)
        return response

    def may_read_replica(self, request) -> bool:
        if request.method not in SAFE_METHODS or not request.path.startswith(REPLICA_READ_PATH_PREFIX):
            return False
        sticky = settings.DATABASE_REPLICA_STICKY_SECONDS
        if request.get_signed_cookie(STICKY_COOKIE, default=None, salt=_COOKIE_SALT, max_age=sticky):
            return False
        user_id = api_user_id(request)
        return user_id is None or not cache.get(writer_cache_key(user_id))

    def remember_writer(self, request, response) -> None:
        sticky = settings.DATABASE_REPLICA_STICKY_SECONDS
        if not sticky:
            return
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            cache.set(writer_cache_key(user.pk), True, timeout=sticky)
        # Signed, and its age checked on reading: a client cannot keep itself on the primary for longer.
        response.set_signed_cookie(
            STICKY_COOKIE,
            "1",
            salt=_COOKIE_SALT,
            max_age=sticky,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )


def api_user_id(request) -> int | None:
    """The id of the user the API will authenticate this safe request as, or None for anonymous.

    The API's own authentication classes, in their order, on a throwaway DRF request: whatever the
    view will decide, this decides alike. A refused credential is None: the view will answer 401.
    """
    api_request = Request(request)
    for authentication_class in api_settings.DEFAULT_AUTHENTICATION_CLASSES:
        try:
            found = authentication_class().authenticate(api_request)
        except AuthenticationFailed:
            return None
        if found is not None:
            return found[0].pk
    return None
