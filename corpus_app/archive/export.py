"""Export the whole corpus as an archive file (format: this package's docstring), in constant memory.

Every kind is read in keyset-paginated batches (id > last id seen, ordered by id), each batch's
relations and nested rows with one query per relation, so memory holds one batch whatever the size
of the corpus, and no query grows slower as the export advances (as OFFSET would).
"""

import json
from collections import defaultdict

from .progress import Summary, progress_bar
from .records import COUNTED, HEADER, TOP_KINDS, json_value
from .snapshot import batches_by_id, read_snapshot

BATCH = 500


class RecordWriter:
    """Writes records as NDJSON lines, or as one JSON array with a record per line."""

    def __init__(self, out, fmt: str):
        if fmt not in ("ndjson", "json"):
            raise ValueError(f"Unknown format {fmt!r}: use ndjson or json.")
        self.out, self.fmt, self.bytes, self.records = out, fmt, 0, 0

    def write(self, record: dict) -> None:
        text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
        if self.fmt == "json":
            text = ("[\n" if self.records == 0 else ",\n") + text
        else:
            text += "\n"
        self._put(text)
        self.records += 1

    def close(self) -> None:
        if self.fmt == "json":
            self._put("\n]\n" if self.records else "[]\n")
        self.out.flush()

    def _put(self, text: str) -> None:
        data = text.encode("utf-8")
        self.out.write(data)
        self.bytes += len(data)


def _value_name(field) -> str:
    return f"{field.name}__slug" if field.is_relation else field.name


def _m2m_slugs(kind, field, ids, using) -> dict[int, list[str]]:
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    pairs = through.objects.using(using).filter(**{f"{source}__in": ids}).values_list(f"{source}_id", f"{target}__slug")
    slugs = defaultdict(list)
    for pk, slug in pairs:
        slugs[pk].append(slug)
    return {pk: sorted(values) for pk, values in slugs.items()}


def _records(kind, queryset, using, batch_size):
    """(record, nested counts) of every row of `queryset`, in batches; relations by slug."""
    fields = [kind.field(name) for name in kind.fields]
    plain = [field for field in fields if not field.many_to_many]
    for batch in batches_by_id(queryset, [_value_name(field) for field in plain], batch_size):
        ids = [row["pk"] for row in batch]
        m2m = {field.name: _m2m_slugs(kind, field, ids, using) for field in fields if field.many_to_many}
        nested = {key: _nested(child, ids, using) for key, child in kind.nested}
        for row in batch:
            record = {"record": kind.name}
            for field in fields:
                if field.many_to_many:
                    record[field.name] = m2m[field.name].get(row["pk"], [])
                else:
                    record[field.name] = json_value(row[_value_name(field)])
            for key, _child in kind.nested:
                record[key] = nested[key].get(row["pk"], [])
            yield record


def _nested(kind, parent_ids, using) -> dict[int, list[dict]]:
    fields = [kind.field(name) for name in kind.fields]
    parent = f"{kind.parent_field}_id"
    rows = (
        kind.model._base_manager.using(using)
        .filter(**{f"{parent}__in": parent_ids})
        .order_by(parent, "pk")
        .values(parent, *(_value_name(field) for field in fields))
    )
    by_parent = defaultdict(list)
    for row in rows:
        by_parent[row[parent]].append({field.name: json_value(row[_value_name(field)]) for field in fields})
    return by_parent


def corpus_export(*, out, fmt: str = "ndjson", using: str = "default", progress=None, batch_size: int = BATCH):
    """Write the whole corpus of database `using` to the binary stream `out`; returns a Summary."""
    with read_snapshot(using):
        return _export(out, fmt, using, progress, batch_size)


def _export(out, fmt, using, progress, batch_size):
    summary = Summary("Exported")
    writer = RecordWriter(out, fmt)
    total = sum(kind.model._base_manager.using(using).count() for kind in TOP_KINDS)
    writer.write(HEADER)
    counts = dict.fromkeys(COUNTED, 0)
    with progress_bar(total=total, enabled=progress, desc="export") as bar:
        for kind in TOP_KINDS:
            for record in _records(kind, kind.model._base_manager.using(using), using, batch_size):
                writer.write(record)
                counts[kind.name] += 1
                for key, child in kind.nested:
                    counts[child.name] += len(record[key])
                bar.update()
    writer.write({"record": "end", "counts": counts})
    writer.close()
    summary.counts, summary.bytes = counts, writer.bytes
    return summary.finish()
