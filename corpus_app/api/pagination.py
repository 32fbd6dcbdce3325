"""Keyset (cursor) pagination: the 1,000th page costs what the first does, and no list counts its rows
unless asked.

A page is "the page_size rows after the last row of the previous page" in the list's ordering
(orderings.py), selected by a condition an index answers, never OFFSET, which reads and discards
every earlier row. The `next` and `previous` links carry that row's key as an opaque `cursor`,
signed (django.core.signing) so that a malformed, tampered or foreign cursor is a 400 rather than a
query on values nobody checked; it names its ordering, so a cursor used with another is a 400 too.
DRF's CursorPagination is not used: it keys on the first ordering field plus an offset, cannot
order NULLs, and takes only plain field names.

Pages are not numbered (`?page=` is a 400 saying to follow `next`), and the total, a COUNT(*) over
the whole filtered list, is computed only for `?count=true`. Paging also travels in an RFC 8288
Link header (and the total in X-Total-Count), for CSV, whose body has no room for it.
"""

import datetime

from django.core import signing
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from corpus_app.api.facets import FACET_PARAM
from corpus_app.api.orderings import ORDERING_PARAM, ordering_from, ordering_parameter
from corpus_app.api.query_parameters import yes_or_no
from corpus_app.api.whole_numbers import PageSizeField

CURSOR_SALT = "corpus_app.api.pagination.cursor"
FORWARD, BACKWARD = "next", "previous"


def _json_value(value):
    # isoformat keeps microseconds, which created_at keys need to tell rows apart (DjangoJSONEncoder drops them).
    return value.isoformat() if isinstance(value, datetime.date | datetime.datetime) else value


class KeysetPagination(BasePagination):
    page_size = 50
    # A client asking for more gets this many: one response stays bounded however large the corpus.
    max_page_size = 500
    page_size_query_param = "page_size"
    cursor_query_param = "cursor"
    count_query_param = "count"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        params = request.query_params
        self.ordering = ordering_from(queryset.model, params.get(ORDERING_PARAM))
        # Signed for this list's records: an article's cursor is no position in the visits.
        self.cursor_salt = f"{CURSOR_SALT}:{queryset.model._meta.label}"
        self.page_size = self.get_page_size(request)
        direction, position = self._decode_cursor(params.get(self.cursor_query_param))
        self.count = queryset.count() if self._wants_count(params) else None
        backwards = direction == BACKWARD
        rows = self.ordering.order(queryset, backwards=backwards)
        if position is not None:
            rows = rows.filter(self.ordering.after(position, backwards=backwards))
        # One row more than a page tells whether another page follows, without counting.
        page = list(rows[: self.page_size + 1])
        more = len(page) > self.page_size
        page = page[: self.page_size]
        if backwards:
            page.reverse()
        first_key = self.ordering.key_of(page[0]) if page else None
        last_key = self.ordering.key_of(page[-1]) if page else None
        if backwards:
            # The page we came back from follows this one; with nothing before the cursor (rows
            # deleted since), the first page does.
            self.next_key, self.previous_key = last_key, first_key if more else None
            self.next_is_first_page = not page
        else:
            # A page reached by a cursor has rows before it: at least the previous page's.
            self.next_key, self.previous_key = last_key if more else None, first_key if position else None
            self.next_is_first_page = False
        return page

    def get_page_size(self, request):
        asked = request.query_params.get(self.page_size_query_param)
        if asked is None:
            return self.page_size
        try:
            return PageSizeField(min_value=1, max_value=self.max_page_size).run_validation(asked)
        except ValidationError:  # a page of another size than asked would be a wrong answer with no error
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        f"A whole number of rows from 1 (at most {self.max_page_size} are given)."
                    ]
                }
            ) from None

    def _wants_count(self, params) -> bool:
        return yes_or_no(params, self.count_query_param, "to have the total counted")

    def _encode_cursor(self, direction: str, key: list) -> str:
        return signing.dumps([self.ordering.name, direction, [_json_value(v) for v in key]], salt=self.cursor_salt)

    def _decode_cursor(self, token: str | None) -> tuple[str, list | None]:
        if token is None:
            return FORWARD, None
        try:
            name, direction, key = signing.loads(token, salt=self.cursor_salt)
        except (signing.BadSignature, ValueError, TypeError) as invalid:
            raise ValidationError(
                {self.cursor_query_param: ["Not a cursor of this API: follow a `next` or `previous` link as given."]}
            ) from invalid
        if name != self.ordering.name:
            raise ValidationError(
                {
                    self.cursor_query_param: [
                        f"This cursor pages through ordering={name}, not {self.ordering.name}: keep the ordering "
                        "the link was made for, or start again from the first page."
                    ]
                }
            )
        if direction not in (FORWARD, BACKWARD) or not isinstance(key, list) or len(key) != len(self.ordering.keys):
            raise ValidationError({self.cursor_query_param: ["Not a cursor of this API."]})
        return direction, key

    def _link(self, direction: str, key: list | None) -> str | None:
        # Without `facet`: the facets count the whole filtered list, the same from every page, so they come
        # with the page asked and are not counted again for each page a client walks through.
        url = remove_query_param(self.request.build_absolute_uri(), FACET_PARAM)
        if direction == FORWARD and self.next_is_first_page:
            return remove_query_param(url, self.cursor_query_param)
        if key is None:
            return None
        return replace_query_param(url, self.cursor_query_param, self._encode_cursor(direction, key))

    def get_next_link(self):
        return self._link(FORWARD, self.next_key)

    def get_previous_link(self):
        return self._link(BACKWARD, self.previous_key)

    def get_paginated_response(self, data):
        body = {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        headers = {}
        if self.count is not None:
            body = {"count": self.count, **body}
            headers["X-Total-Count"] = str(self.count)
        links = [(body["next"], "next"), (body["previous"], "prev")]
        link_header = ", ".join(f'<{url}>; rel="{rel}"' for url, rel in links if url)
        if link_header:
            headers["Link"] = link_header
        return Response(body, headers=headers)

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "description": "The number of rows in the whole list; present only with `?count=true`.",
                },
                "next": {**link, "description": "The next page, or null on the last."},
                "previous": {**link, "description": "The previous page, or null on the first."},
                "results": schema,
                "facets": {
                    "type": "object",
                    "description": "Present with `?facet=`: for each facet asked, its values over the filtered list "
                    "(the whole list, not the page; the `next` and `previous` links leave `facet` out).",
                    "additionalProperties": {
                        "type": "object",
                        "required": ["values", "more", "counted"],
                        "properties": {
                            "values": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "required": ["value", "label", "count", "link"],
                                    "properties": {
                                        "value": {"description": "The filter's value: an id, a choice, a month."},
                                        "label": {"type": "string"},
                                        "count": {"type": "integer"},
                                        "link": {**link, "description": "This list with the value's filter set."},
                                    },
                                },
                            },
                            "more": {"type": "boolean", "description": "More values than listed."},
                            "counted": {
                                "type": "boolean",
                                "description": "False when the facet was not counted within the facets' time "
                                "budget (API_FACETS_TIME_BUDGET_MS, on PostgreSQL): then no values, and a `detail`.",
                            },
                            "detail": {"type": "string", "description": "Why a facet was not counted."},
                        },
                    },
                },
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "in": "query",
                "required": False,
                "description": (
                    "Where a page starts: take it from the `next` or `previous` link of another page, as "
                    "given (it is signed; any other value is a 400). Pages are not numbered: `page` is a 400."
                ),
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "in": "query",
                "required": False,
                "description": f"Rows per page (default {self.page_size}; more than {self.max_page_size} gives "
                f"{self.max_page_size}).",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.count_query_param,
                "in": "query",
                "required": False,
                "description": (
                    "`true`: also count the whole list (`count` in the body, X-Total-Count header). It costs "
                    "a scan of every matching row: ask only when you need the total."
                ),
                "schema": {"type": "boolean"},
            },
            ordering_parameter(view.listed_model or view.queryset.model),
        ]
