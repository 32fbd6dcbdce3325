"""How answers are written: JSON through orjson, CSV for any list (analysts live in spreadsheets), and
JSON-LD for the records (linked data readers, linked_data.py)."""

import csv
import io

import orjson
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

from corpus_app.api import linked_data


class FastJSONRenderer(JSONRenderer):
    """DRF's JSONRenderer, the same bytes, written by orjson (a page of quotes about 5x faster than json).

    Indented output (`Accept: application/json; indent=2`, the browsable API) stays with DRF. What orjson
    does not know natively (lazy strings in error messages, dates, decimals) goes through DRF's own encoder,
    so it is written as before; like DRF, U+2028 and U+2029 are escaped for JavaScript.
    """

    _drf_encoder = JSONEncoder()

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if self.get_indent(accepted_media_type, renderer_context or {}) is not None or not self.compact:
            return super().render(data, accepted_media_type, renderer_context)
        try:
            rendered = orjson.dumps(data, default=self._drf_encoder.default, option=orjson.OPT_PASSTHROUGH_DATETIME)
        except orjson.JSONEncodeError:  # what orjson refuses outright (an integer past 64 bits): as DRF would
            return super().render(data, accepted_media_type, renderer_context)
        return rendered.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")


def csv_columns(serializer, prefix=""):
    """CSV column names for a serializer's fields; a nested object becomes `speaker.name` and so on."""
    for name, field in serializer.fields.items():
        if isinstance(field, serializers.BaseSerializer) and not isinstance(field, serializers.ListSerializer):
            yield from csv_columns(field, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}"


def _cell(value):
    if isinstance(value, dict):
        return value.get("slug") or value.get("id") or ""
    if isinstance(value, list):
        return "; ".join(str(_cell(item)) for item in value)
    if value is None:
        return ""
    return value


def csv_row(row: dict, prefix="") -> dict:
    """A record as one CSV row: nested objects spread over csv_columns' dotted names."""
    flat = {}
    for name, value in row.items():
        if isinstance(value, dict):
            flat.update(csv_row(value, f"{prefix}{name}."))
        else:
            flat[f"{prefix}{name}"] = _cell(value)
    return flat


def list_file_name(path: str, extension: str = "csv") -> str:
    """The file a list is saved as: what it lists, in the words of its address, and the day it was read
    (/api/quotes/ → quotes-2025-03-01.csv, /api/experts/12/quotes/ → experts-12-quotes-2025-03-01.csv)."""
    words = path.removeprefix(reverse("api-root")).strip("/").split("/")
    name = "-".join(slugify(word) for word in words if slugify(word)) or "corpus"
    return f"{name}-{timezone.localdate().isoformat()}.{extension}"


class CSVRenderer(BaseRenderer):
    """Renders a list response (paginated or not) as CSV with one header row.

    Nested objects are spread over dotted columns; lists of objects become their slugs (or ids)
    joined by "; ". Paging travels in the Link header (and the total, when asked, in X-Total-Count).
    A list is sent as a file to save, named for what it lists (list_file_name); an error is not.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response, request = (renderer_context or {}).get("response"), (renderer_context or {}).get("request")
        if response is not None and request is not None and response.status_code == 200:
            response["Content-Disposition"] = f'attachment; filename="{list_file_name(request.path)}"'
        rows = data.get("results", data) if isinstance(data, dict) else data
        if not isinstance(rows, list):
            # A single object or an error: one row of whatever it holds.
            rows = [rows] if isinstance(rows, dict) else [{"detail": str(rows)}]
        flat_rows = [csv_row(row) for row in rows]
        serializer = getattr(rows, "serializer", None)
        if serializer is not None and hasattr(serializer, "child"):
            header = list(csv_columns(serializer.child))
        else:
            header = list(dict.fromkeys(column for row in flat_rows for column in row))
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore", lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(flat_rows)
        return buffer.getvalue().encode(self.charset)


class JSONLDRenderer(BaseRenderer):
    """Renders records and lists as JSON-LD with schema.org types (linked_data.py), `?format=jsonld` or
    `Accept: application/ld+json`; `; indent=2` indents it, as for JSON.

    An error, or an answer that holds no records (OPTIONS), is no linked data: it is written as the
    plain JSON answer it is, with `Content-Type: application/json`, so a client reads its `detail` or
    field messages as from any other request.
    """

    media_type = linked_data.MEDIA_TYPE
    format = linked_data.FORMAT
    charset = None  # JSON is UTF-8 by definition (RFC 8259), as for application/json

    def render(self, data, accepted_media_type=None, renderer_context=None):
        context = renderer_context or {}
        response, request = context.get("response"), context.get("request")
        if data is None:
            return b""
        is_success = response is not None and response.status_code < 400
        kind = linked_data.kind_answered_by(context.get("view")) if is_success and request is not None else None
        if kind is None:
            if response is not None:
                response["Content-Type"] = "application/json"
            return FastJSONRenderer().render(data, accepted_media_type, context)
        nodes = linked_data.NodeWriter(request.build_absolute_uri)
        document = linked_data.document(data, kind, nodes, request.build_absolute_uri())
        return FastJSONRenderer().render(document, accepted_media_type, context)
