"""Refuse a request body larger than the part of the site it is sent to takes (413), before anything reads it.

Django bounds only the form fields it parses (DATA_UPLOAD_MAX_MEMORY_SIZE, answered 400, as HTML):
a JSON body, which DRF reads from the stream, and uploaded files, which Django spools to disk, have
no other bound. A WSGI application reads no more of a body than its Content-Length (none reads as
empty), so checking that header bounds every body.

The limits are settings.REQUEST_BODY_LIMITS, the first pattern that matches the path deciding, and
REQUEST_BODY_DEFAULT_LIMIT elsewhere. The answer is plain text; under /api/ it becomes JSON
(corpus_app/api/json_errors.py).
"""

import re

from django.conf import settings
from django.http import HttpResponse

MiB = 1024 * 1024


def content_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0  # as Django's WSGIRequest reads it: no body


def body_limit(path: str) -> int | None:
    """The largest body, in bytes, that a request to `path` may carry (None: no limit, as Django allows)."""
    for pattern, limit in settings.REQUEST_BODY_LIMITS:
        if re.match(pattern, path):
            return limit
    return settings.REQUEST_BODY_DEFAULT_LIMIT


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length, limit = content_length(request), body_limit(request.path)
        if limit is not None and length > limit:
            return HttpResponse(
                f"The request body is {length:,} bytes; this address takes at most {limit:,} ({limit / MiB:g} MiB).",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
