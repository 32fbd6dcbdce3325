"""Reading an archive file as a stream of records, each with where it stands in the file.

NDJSON is read a line at a time; the JSON form incrementally with ijson (a C parser), one record of
the array at a time. Either way memory holds one record, whatever the size of the file.
"""

import json

import ijson

from .records import FORMAT_NAME, FORMAT_VERSION


class ArchiveError(ValueError):
    """A record of an archive that cannot be loaded; `where` says which (line or record number)."""

    def __init__(self, where: str, message: str):
        self.where, self.message = where, message
        super().__init__(f"{where}: {message}")


def _no_repeated_keys(pairs):
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        repeated = sorted({key for key in keys if keys.count(key) > 1})
        raise ValueError(f"a key is given twice ({', '.join(repeated)}): which one is meant?")
    return dict(pairs)


def _no_constant(name):
    raise ValueError(f"{name} is not a JSON number")


def storable_problem(value) -> str | None:
    """Why a database cannot store some text of `value` as given, or None: a NUL (PostgreSQL refuses it,
    and the API does too) or half of a surrogate pair (no character at all)."""
    if isinstance(value, str):
        if "\x00" in value:
            return "text holds a NUL character."
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "text holds half of a surrogate pair, which is no character."
        return None
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return next((problem for item in items if (problem := storable_problem(item))), None)


def _ndjson_records(stream, counter):
    for number, line in enumerate(stream, start=1):
        counter.bytes += len(line)
        if not line.strip():
            continue
        try:
            record = json.loads(line, object_pairs_hook=_no_repeated_keys, parse_constant=_no_constant)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ArchiveError(f"line {number}", f"not a JSON object: {error}") from None
        except ValueError as error:
            raise ArchiveError(f"line {number}", str(error)) from None
        except RecursionError:
            raise ArchiveError(f"line {number}", "nested too deep to be a corpus record.") from None
        if problem := storable_problem(record):
            raise ArchiveError(f"line {number}", problem)
        yield f"line {number}", record


def _json_records(stream, counter):
    number = 0
    try:
        for number, record in enumerate(ijson.items(stream, "item", use_float=True), start=1):
            counter.bytes = stream.tell() if stream.seekable() else counter.bytes
            if problem := storable_problem(record):
                raise ArchiveError(f"record {number}", problem)
            yield f"record {number}", record
    except ijson.JSONError as error:
        raise ArchiveError(f"record {number + 1}", f"not valid JSON: {error}") from None


class _Counter:
    bytes = 0


def archive_records(stream, *, fmt: str | None = None):
    """Yield (where, record) for each record of the binary `stream`, after checking its header.

    `fmt` is "ndjson" or "json"; None tells them apart by the first character ("[" is JSON).
    Returns (counter, records): `counter.bytes` is how much of the stream has been read, for progress.
    """
    counter = _Counter()
    if fmt is None:
        fmt = "json" if _first_character(stream) == b"[" else "ndjson"
    records = _json_records(stream, counter) if fmt == "json" else _ndjson_records(stream, counter)
    return counter, _checked_header(records)


def _first_character(stream) -> bytes:
    head = stream.peek(64) if hasattr(stream, "peek") else b""
    return head.lstrip()[:1]


def _checked_header(records):
    first = next(records, None)
    if first is None:
        raise ArchiveError("line 1", "the file is empty; an archive starts with its header line.")
    where, header = first
    if not isinstance(header, dict) or header.get("format") != FORMAT_NAME:
        raise ArchiveError(where, f'not a corpus archive: the first record must be {{"format": "{FORMAT_NAME}", ...}}.')
    if header.get("version") != FORMAT_VERSION:
        version = header.get("version")
        raise ArchiveError(where, f"archive format version {version!r}; this corpus reads version {FORMAT_VERSION}.")
    yield from records
