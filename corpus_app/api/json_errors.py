"""Under /api/, every error answers in JSON for a client that does not ask for HTML, DEBUG or not.

DRF answers the errors of its own views in the format the client negotiated. Some errors never reach
it: a URL no route matches (404; with DEBUG on, Django's technical page), a request Django refuses to
read (400), a body over the size limit (413, corpus_app/request_size.py), an exception DRF lets
through (500; with DEBUG on, a page of settings and a traceback), and a commit that fails after the
view has returned (ATOMIC_REQUESTS commits outside the view). A script that parses JSON would choke
on those pages. A browser (text/html preferred in its Accept) keeps Django's pages, as it keeps the
browsable API.

First in MIDDLEWARE, so it sees every other middleware's answers too.
"""

import json
from http import HTTPStatus

from django.http import JsonResponse
from django.utils.cache import patch_vary_headers
from rest_framework.response import Response

from corpus_app.api.exceptions import api_exception_for_database_error

API_PREFIX = "/api/"

# A plain-text error is a message meant for the client (the size limit's); only its start is kept.
MAX_DETAIL_LENGTH = 500

DETAILS = {
    400: "Bad request: the request could not be read (malformed, or more than 1,000 parameters).",
    403: "Forbidden.",
    404: "Not found: nothing at this address. GET /api/ lists the endpoints.",
    405: "Method not allowed here: the Allow header lists the methods that are.",
    500: "Internal server error. It has been logged; try again later, and report it if it persists.",
}


def is_api_request(request) -> bool:
    return request.path.startswith(API_PREFIX)


def wants_html(request) -> bool:
    """A browser: it prefers text/html to JSON. No Accept header, or */*, means JSON."""
    return request.get_preferred_type(["application/json", "text/html"]) == "text/html"


def error_detail(response) -> str:
    """The message of an error answer that is not JSON: its text if plain text, else a sentence per status.

    An HTML page is for people (in DEBUG it holds settings and a traceback), so none of it is kept.
    """
    if response.get("Content-Type", "").startswith("text/plain"):
        text = response.content.decode(response.charset or "utf-8", errors="replace").strip()
        if text:
            return text[:MAX_DETAIL_LENGTH]
    status = response.status_code
    if status in DETAILS:
        return DETAILS[status]
    try:
        return f"{HTTPStatus(status).phrase}."
    except ValueError:
        return "Error."


class ApiErrorsAsJsonMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not is_api_request(request)
            # DRF's own answer, already in the format the client negotiated (JSON, CSV, browsable HTML).
            or isinstance(response, Response)
            or response.get("Content-Type", "").startswith("application/json")
            or response.streaming
            or wants_html(request)
        ):
            return response
        # The body replaced in place: every header other middleware set (Allow, security headers,
        # cookies) stays.
        response.content = json.dumps({"detail": error_detail(response)}).encode()
        response["Content-Type"] = "application/json"
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        patch_vary_headers(response, ["Accept"])
        return response

    def process_exception(self, request, exception):
        """A database refusal the view let through: the answer the view would have given.

        This is the commit of ATOMIC_REQUESTS failing after the view returned (a deferred check), for
        HTML clients as well: 409 or 503 says what happened, where a 500 would not.
        """
        if not is_api_request(request):
            return None
        mapped = api_exception_for_database_error(exception)
        if mapped is None:
            return None
        return JsonResponse({"detail": str(mapped.detail)}, status=mapped.status_code)
