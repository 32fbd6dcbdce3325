"""Exports: a whole filtered list, unpaginated, streamed as NDJSON or CSV in constant memory.

Every list has one beside it, `/api/quotes/export/`, and so has every related list,
`/api/experts/{id}/quotes/export/` (add_exports). An address of its own rather than a switch on the list:
the list answers pages (JSON, CSV, the browsable API) and the export a file with another media type and
other parameters (no cursor, page_size, count or facet; `bom`), so each has one description in the schema.
The export goes through the list's own code (CorpusViewSet.listed): its filters, search, ordering and
`fields`/`expand` are the list's, not a copy.

The rows are read in keyset chunks of CHUNK_ROWS, the page queries of pagination.py, and each chunk goes
through the list's read serializer (compiled.py) and out before the next is read: memory holds one chunk,
and each chunk costs the same few queries (one for the rows, one per prefetch).

Transactions. ATOMIC_REQUESTS commits when the view returns, before the response's body is sent, so a
streaming body would read in autocommit: no statement timeout (transaction_bounds.py sets it per
transaction) and another snapshot for every chunk. So the view reads the first chunk in the request's
transaction (a bad value the database refuses, or a timeout, is the usual 4xx/503 answer, before anything is
sent), and the body reads the rest in a transaction of its own, bounded alike, on PostgreSQL REPEATABLE READ
and READ ONLY: every later chunk sees one state of the corpus, and a row moved by an edit meanwhile is not
read twice or skipped. (The first chunk and the rest are read a moment apart: a row whose sort key changes
in that moment can be missed or repeated once.) If the client goes away, closing the body rolls it back.

Anonymous clients get at most settings.API_EXPORT_ANONYMOUS_ROWS rows, and a throttle scope of their own
besides the anonymous rate (throttles.py); authenticated ones the whole list. Every export says in its
headers whether it is whole: `X-Export-Truncated: true` when rows were left out, with `X-Export-Row-Limit`.
"""

import csv
import io
from contextlib import contextmanager

import orjson
from django.conf import settings
from django.db import connections, transaction
from django.http import StreamingHttpResponse
from django.utils.cache import patch_vary_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings

from corpus_app.api.orderings import ORDERING_PARAM, ordering_from, ordering_parameter
from corpus_app.api.query_parameters import yes_or_no
from corpus_app.api.renderers import FastJSONRenderer, csv_columns, csv_row, list_file_name
from corpus_app.api.throttles import AnonymousExportRateThrottle
from corpus_app.api.transaction_bounds import bound_request_transaction

EXPORT_PATH = "export"
# Rows read, serialized and sent at a time: a page of the largest size pagination.py gives.
CHUNK_ROWS = 500
BOM_PARAM = "bom"
BOM = "\ufeff".encode()
TRUNCATED_HEADER, ROW_LIMIT_HEADER = "X-Export-Truncated", "X-Export-Row-Limit"


class NDJSONRenderer(BaseRenderer):
    """Negotiates `application/x-ndjson` (`?format=ndjson`); the rows themselves are streamed by the view."""

    media_type = "application/x-ndjson"
    format = "ndjson"
    charset = None  # NDJSON is UTF-8, by its definition

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return FastJSONRenderer().render(data)  # errors only; errors_in_json gives them their media type


class CSVExportRenderer(NDJSONRenderer):
    """Negotiates `text/csv` (`?format=csv`) for an export."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"


RENDERERS = (NDJSONRenderer, CSVExportRenderer)


def is_export(view) -> bool:
    return getattr(view, "exporting", False)


def errors_in_json(response) -> None:
    """An export's error is the usual JSON answer, whatever file was asked for."""
    if isinstance(response, Response):
        response.accepted_renderer, response.accepted_media_type = FastJSONRenderer(), "application/json"


def export_parameters(list_parameters: frozenset[str]) -> frozenset[str]:
    """What an export takes: its list's filters, search, ordering and shaping; `bom`; no paging or facets."""
    from corpus_app.api.facets import FACET_PARAM
    from corpus_app.api.query_parameters import PAGE_PARAMETERS

    return (list_parameters - PAGE_PARAMETERS - {FACET_PARAM}) | {ORDERING_PARAM, BOM_PARAM}


def exported(view, rows) -> StreamingHttpResponse:
    """The whole of `rows` (a list's filtered queryset) as the file the request negotiated."""
    request = view.request
    ordering = ordering_from(rows.model, request.query_params.get(ORDERING_PARAM))
    with_bom = _wants_bom(request.query_params)
    ordered = ordering.order(rows)
    limit = None if request.user.is_authenticated else settings.API_EXPORT_ANONYMOUS_ROWS
    first = list(ordered[: CHUNK_ROWS if limit is None else min(CHUNK_ROWS, limit)])
    truncated = limit is not None and rows.order_by()[limit : limit + 1].exists()
    serializer = view.get_serializer(many=True)
    is_csv = request.accepted_renderer.format == CSVExportRenderer.format
    chunks = _chunks(first, ordered, ordering, limit)
    body = _csv(serializer, chunks, with_bom) if is_csv else _ndjson(serializer, chunks)
    response = StreamingHttpResponse(body, content_type=_content_type(request.accepted_renderer))
    listed_path = request.path.rpartition(f"/{EXPORT_PATH}")[0]  # /api/quotes/export.csv too
    file_name = list_file_name(listed_path, request.accepted_renderer.format)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    response[TRUNCATED_HEADER] = "true" if truncated else "false"
    patch_vary_headers(response, ["Authorization", "Cookie"])  # an anonymous client's file may be shorter
    if limit is not None:
        response[ROW_LIMIT_HEADER] = str(limit)
    return response


def _wants_bom(params) -> bool:
    return yes_or_no(params, BOM_PARAM, "to start the CSV with a byte-order mark")


def _content_type(renderer) -> str:
    return f"{renderer.media_type}; charset={renderer.charset}" if renderer.charset else renderer.media_type


def _chunks(first: list, ordered, ordering, limit: int | None):
    """The rows in chunks: `first` (read by the view), then each next chunk after the last row sent."""
    yield first
    sent = len(first)
    if sent < CHUNK_ROWS or sent == limit:
        return
    last = first[-1]
    del first  # memory holds one chunk at a time
    with _export_transaction(ordered.db):
        while limit is None or sent < limit:
            size = CHUNK_ROWS if limit is None else min(CHUNK_ROWS, limit - sent)
            chunk = list(ordered.filter(ordering.after(ordering.key_of(last)))[:size])
            if not chunk:
                return
            yield chunk
            sent, last = sent + len(chunk), chunk[-1]
            if len(chunk) < size:
                return


@contextmanager
def _export_transaction(using: str):
    """The body's own transaction: one snapshot for every chunk, each query under the request's timeout."""
    connection = connections[using]
    outermost = not connection.in_atomic_block  # nested (in a test's transaction), it cannot change the isolation
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        bound_request_transaction(using=using)
        yield


def _ndjson(serializer, chunks):
    default = FastJSONRenderer._drf_encoder.default
    for chunk in chunks:
        rows = serializer.to_representation(chunk)
        yield b"".join(orjson.dumps(row, default=default, option=orjson.OPT_APPEND_NEWLINE) for row in rows)


def _csv(serializer, chunks, with_bom: bool):
    """The paged CSV's columns and cells (renderers.py), a header row first, a chunk at a time."""
    header = list(csv_columns(serializer.child))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    yield (BOM if with_bom else b"") + _drained(buffer)
    for chunk in chunks:
        writer.writerows(csv_row(row) for row in serializer.to_representation(chunk))
        yield _drained(buffer)


def _drained(buffer: io.StringIO) -> bytes:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text.encode()


# ------------------------------------------------------------------ the export routes of a viewset
def add_exports(viewset) -> None:
    """Give `viewset` an export of its list and of each of its related lists (an expert's quotes)."""
    related = [extra for extra in viewset.get_extra_actions() if extra.detail and extra.kwargs.get("listed_model")]
    _add(viewset, "export", _list_export(), detail=False, serializer_class=viewset.serializer_class)
    for related_list in related:
        name = f"{related_list.__name__}_export"
        # Its filters and serializer; not its name, description or schema, which DRF and extend_schema set.
        taken = {key: value for key, value in related_list.kwargs.items() if key not in OWN_KWARGS}
        _add(viewset, name, _related_export(related_list), detail=True, **taken)


OWN_KWARGS = ("name", "description", "suffix", "schema")


def _add(viewset, name: str, method, *, detail: bool, serializer_class, **kwargs) -> None:
    if name in vars(viewset):
        return
    base = getattr(method, "related_list", None)
    path = f"{base.url_path}/{EXPORT_PATH}" if base else EXPORT_PATH
    method.__name__ = name
    method.__doc__ = f"{(base.__doc__ if base else viewset.__doc__).strip()} The whole list, as one file."
    routed = action(
        detail=detail,
        url_path=path,
        url_name=path.replace("/", "-"),
        renderer_classes=RENDERERS,
        pagination_class=None,
        throttle_classes=[*api_settings.DEFAULT_THROTTLE_CLASSES, AnonymousExportRateThrottle],
        exporting=True,
        serializer_class=serializer_class,
        **kwargs,
    )(method)
    setattr(viewset, name, _documented(serializer_class)(routed))


def _list_export():
    def export(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)

    return export


def _related_export(related_list):
    def export(self, request, *args, **kwargs):
        return related_list(self, request, *args, **kwargs)

    export.related_list = related_list
    return export


def _documented(serializer_class):
    limit = settings.API_EXPORT_ANONYMOUS_ROWS
    return extend_schema(
        responses={
            (200, NDJSONRenderer.media_type): OpenApiResponse(
                serializer_class, description="One record per line, as the list writes it."
            ),
            (200, CSVExportRenderer.media_type): OpenApiResponse(
                OpenApiTypes.STR, description="The list's CSV columns, a header row first."
            ),
        },
        description=(
            "The whole filtered list, unpaginated, as NDJSON (`?format=ndjson`, the default) or CSV "
            f"(`?format=csv`). Anonymous clients get at most {limit:,} rows, authenticated ones all."
        ),
    )


EXPORT_HEADERS = {
    "Content-Disposition": {
        "description": 'The file to save it as: `attachment; filename="quotes-2026-12-03.ndjson"`.',
        "schema": {"type": "string"},
    },
    TRUNCATED_HEADER: {
        "description": "`true` if rows were left out (an anonymous client's row limit), else `false`.",
        "schema": {"type": "string", "enum": ["true", "false"]},
    },
    ROW_LIMIT_HEADER: {
        "description": "The most rows this client is given; absent when it gets the whole list.",
        "schema": {"type": "integer"},
    },
}


def export_schema_parameters(model) -> list[OpenApiParameter]:
    """The parameters an export adds to its list's filters and search (CorpusAutoSchema)."""
    ordering = ordering_parameter(model)
    return [
        OpenApiParameter(
            ORDERING_PARAM, ordering["schema"], OpenApiParameter.QUERY, description=ordering["description"]
        ),
        OpenApiParameter(
            BOM_PARAM,
            OpenApiTypes.BOOL,
            OpenApiParameter.QUERY,
            description="`true`: start a CSV with a UTF-8 byte-order mark, which spreadsheets need to read "
            "non-ASCII letters (ə, ş, Cyrillic) right.",
        ),
    ]


def document_exports(result, generator, request, public):
    """Schema postprocessing hook: an export answers one record per NDJSON line, or CSV text, with its headers;
    its errors are JSON only (drf-spectacular reads a list's answer as an array in every media type)."""
    for path, operations in result.get("paths", {}).items():
        if not path.endswith(f"/{EXPORT_PATH}/"):
            continue
        for code, answer in operations["get"]["responses"].items():
            content = answer.get("content", {})
            if code != "200":
                content.pop(CSVExportRenderer.media_type, None)
                continue
            content[NDJSONRenderer.media_type]["schema"] = content[NDJSONRenderer.media_type]["schema"]["items"]
            content[CSVExportRenderer.media_type]["schema"] = {"type": "string"}
            answer["headers"] = EXPORT_HEADERS
    return result
