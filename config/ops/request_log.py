"""One structured log line per request, as JSON on standard output.

Each line carries the method, the path, the status, the duration in milliseconds, the user (their id,
"anonymous", or null when the request never looked its user up, as for static files and health
probes), the client's address as the throttles see it (X-Forwarded-For only through the trusted
proxies, see `client_address`) and the worker's pid.

The query string is left out: it is whatever a client put there, and a line in a log store outlives
the request, so a client sending a secret in a URL must not make the log hold it. The path names the
resource; the proxy's access log, when there is one, has the rest.

The middleware comes first in MIDDLEWARE, so the duration is the whole of Django's work and the
status is the one sent, including answers that other middleware gives on its own (an HTTPS
redirect, a static file). 5xx lines are logged at ERROR, 4xx at WARNING, the rest at INFO, so that
DJANGO_REQUEST_LOG_LEVEL=WARNING keeps only the failures.
"""

import json
import logging
import os
import sys
import time
from datetime import UTC, datetime

from django.utils.functional import empty
from rest_framework.throttling import BaseThrottle

logger = logging.getLogger("corpus.requests")


def client_address(request) -> str | None:
    """The client's address by the rule the API's throttles use (REST_FRAMEWORK NUM_PROXIES).

    With no trusted proxy, the address of the TCP peer; behind N trusted proxies, the N-th address
    from the end of X-Forwarded-For, the one the outermost trusted proxy saw. Shared with the
    throttles so that the log names the client whose budget a request spent.
    """
    return BaseThrottle().get_ident(request)


def request_user(request):
    """The user's id, "anonymous", or None if nothing in the request looked the user up.

    Reading an unevaluated request.user would cost a session and user query on requests that had
    no use for them.
    """
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else "anonymous"


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        status = response.status_code
        level = logging.ERROR if status >= 500 else logging.WARNING if status >= 400 else logging.INFO
        if logger.isEnabledFor(level):
            logger.log(
                level,
                "%s %s %s",
                request.method,
                request.path,
                status,
                # Not "request": Django's own records carry the HttpRequest under that name.
                extra={
                    "http": {
                        "method": request.method,
                        "path": request.path,
                        "status": status,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                        "user": request_user(request),
                        "remote_addr": client_address(request),
                    }
                },
            )
        return response


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, the request's fields, any traceback."""

    def format(self, record):
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "pid": os.getpid(),
            **getattr(record, "http", {}),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


class StdoutHandler(logging.StreamHandler):
    """A StreamHandler writing to the sys.stdout of the moment, not the one of configuration time.

    Test runners swap sys.stdout to capture output; a handler holding the original would write past
    the capture, or into a stream closed since.
    """

    def __init__(self):
        super().__init__(sys.stdout)

    @property
    def stream(self):
        return sys.stdout

    @stream.setter
    def stream(self, value):
        pass
