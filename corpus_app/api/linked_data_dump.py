"""The whole corpus as one JSON-LD document, `{"@context": …, "@graph": [every record's node]}` (manage.py
export_jsonld), streamed in constant memory.

A command rather than an endpoint: a dump reads every row of every table (the bodies of every article),
which no anonymous client should be able to make the server do at will, however throttled; the
file it writes is served as a static file, or the API is read page by page in JSON-LD. Each record's
node is the one the API writes (linked_data.py, from the same read serializers and listing querysets),
with its `@id` under --base-url, so a dump and the API's answers join into one graph. Related records
are named by `@id` only: each is a node of the graph itself.

Records are read in batches by id (id > the last one seen, no OFFSET), each batch's related rows in
the listing queryset's fixed number of queries, all in one snapshot (read_snapshot), so a dump of
a live database is consistent and memory holds one batch.
"""

from collections import Counter

import orjson

from corpus_app.api import serializers as s
from corpus_app.api.linked_data import CONTEXT, KINDS, NodeWriter
from corpus_app.archive.export import read_snapshot
from corpus_app.models import Article, City, Expert, Outlet, Quote, Visit, VisitParticipant

BATCH = 500
# Each model with the serializer of its API answers, the records others name first.
DUMPED = (
    (Outlet, s.OutletSerializer),
    (City, s.CitySerializer),
    (Expert, s.ExpertSerializer),
    (Visit, s.VisitSerializer),
    (VisitParticipant, s.VisitParticipantSerializer),
    (Article, s.ArticleSerializer),
    (Quote, s.QuoteSerializer),
)


def corpus_jsonld_export(*, out, base_url: str, using: str = "default", batch_size: int = BATCH) -> Counter:
    """Write every record of database `using` to the binary stream `out`; returns how many of each type."""
    nodes = NodeWriter(lambda path: f"{base_url.rstrip('/')}{path}", embed=False)
    written = Counter()
    with read_snapshot(using):
        out.write(b'{"@context": ' + orjson.dumps(CONTEXT) + b',\n"@graph": [')
        for model, serializer_class in DUMPED:
            kind = KINDS[model]
            for batch in _batches(model.objects.db_manager(using).for_listing(), batch_size):
                for record in serializer_class(batch, many=True).data:
                    out.write((b",\n" if written.total() else b"\n") + orjson.dumps(nodes.node(kind, record)))
                    written[kind.type] += 1
        out.write(b"\n]}\n")
    out.flush()
    return written


def _batches(queryset, batch_size: int):
    last = 0
    while batch := list(queryset.filter(pk__gt=last).order_by("pk")[:batch_size]):
        yield batch
        last = batch[-1].pk
