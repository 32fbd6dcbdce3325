"""Schema post-processing: the error answers and access rules every operation shares.

drf-spectacular documents only the success response of an operation; clients also need to know the
shape of a 400, that a write without a token is a 401, that deleting a quoted expert is a 409, that
a body has a size limit (413) and a request a time limit (503), and that anyone may read.
"""

from django.conf import settings

from corpus_app.request_size import body_limit

SAFE_METHODS = {"get", "head", "options"}
BODY_METHODS = {"post", "put", "patch"}

ERROR = {"$ref": "#/components/schemas/Error"}
FIELD_ERRORS = {"$ref": "#/components/schemas/FieldErrors"}

COMPONENTS = {
    "Error": {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
        "description": "A single message, e.g. why a delete was refused.",
    },
    "FieldErrors": {
        "type": "object",
        "additionalProperties": True,
        "description": (
            "Messages per field name, each a list of strings (nested for list fields); problems that "
            "involve several fields are under non_field_errors."
        ),
    },
}

RESPONSES = {
    400: ("Invalid input: messages per field.", FIELD_ERRORS),
    401: ("Missing or invalid token (writes need `Authorization: Token <key>`).", ERROR),
    403: ("Authenticated, but without the model permission this needs.", ERROR),
    404: ("No record with this id, or an unknown `format`.", ERROR),
    406: ("None of the accepted media types can be served.", ERROR),
    409: (
        "Refused because of existing data: a duplicate, records that still refer to this one, or a "
        "concurrent change that was saved first.",
        ERROR,
    ),
    412: ("If-Match named another version than the record's current one (its ETag).", ERROR),
    415: ("The body is not in a media type the API reads (send `Content-Type: application/json`).", ERROR),
    429: ("Too many requests; retry after the number of seconds in Retry-After.", ERROR),
}


def _responses() -> dict[int, tuple[str, dict]]:
    """RESPONSES, and the answers whose description states a limit as this server is configured."""
    timeout_ms = settings.API_STATEMENT_TIMEOUT_MS
    time_limit = f" ({timeout_ms / 1000:g} s, API_STATEMENT_TIMEOUT_MS)" if timeout_ms else ""
    return {
        **RESPONSES,
        413: (
            f"The body is larger than the {body_limit('/api/'):,} bytes the API reads; nothing was read or changed.",
            ERROR,
        ),
        503: (
            f"The database did not answer within the request's time limit{time_limit}: the request was cancelled "
            "and nothing was changed. Ask for less (fewer search words, a filter, a smaller page_size) or try "
            "again later.",
            ERROR,
        ),
    }


IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "schema": {"type": "string"},
    "description": 'The ETag (e.g. "3") of the version this change is based on; a stale one gets 412.',
}


ETAG = {"description": 'The record\'s version, e.g. "3": send it back in If-Match.', "schema": {"type": "string"}}
LOCATION = {"description": "The new record's address in the API.", "schema": {"type": "string", "format": "uri"}}


def _success_headers(method: str, path: str) -> dict[str, dict]:
    """Headers the viewsets add to a record's answer (CorpusViewSet.finalize_response, get_success_headers)."""
    is_record = path.endswith("/{id}/")
    if method == "post" and not is_record and "{id}" not in path:
        return {"201": {"ETag": ETAG, "Location": LOCATION}}
    if is_record and method in ("get", "put", "patch"):
        return {"200": {"ETag": ETAG}}
    return {}


def _codes_for(method: str, path: str) -> list[int]:
    if method in SAFE_METHODS:
        return [400, 401, 404, 406, 429, 503]  # 400: a malformed filter value
    codes = [400, 401, 403, 404, 406, 409, 415, 429, 503]
    if method in BODY_METHODS:
        codes.append(413)
    return [*codes, 412] if "{id}" in path else codes


def add_error_responses_and_security(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(COMPONENTS)
    responses_by_code = _responses()
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in SAFE_METHODS and "{id}" in path:
                operation.setdefault("parameters", []).append(IF_MATCH)
            responses = operation.setdefault("responses", {})
            for code, headers in _success_headers(method, path).items():
                if code in responses:
                    responses[code].setdefault("headers", {}).update(headers)
            for code in _codes_for(method, path):
                description, schema = responses_by_code[code]
                # An error answers in the format asked for, so a CSV request gets its error as CSV.
                content = {"application/json": {"schema": schema}, "text/csv": {"schema": {"type": "string"}}}
                responses.setdefault(str(code), {"description": description, "content": content})
            if method in SAFE_METHODS:
                operation["security"] = [{}, {"tokenAuth": []}, {"cookieAuth": []}]
            else:
                operation["security"] = [{"tokenAuth": []}, {"cookieAuth": []}]
    return result
