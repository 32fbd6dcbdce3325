"""Archive scale: the whole corpus as one streamed file, and synthetic corpora of any size.

File format (NDJSON, format version 1), one JSON object a line, UTF-8:

    {"format": "corpus-archive", "version": 1}
    {"record": "outlet", "slug": ..., "name": ..., ..., "created_at": ..., "updated_at": ..., "version": 1}
    {"record": "city", ...}                           every outlet, then every city,
    {"record": "expert", ...}                         then experts,
    {"record": "visit", ..., "cities": [slugs], "participants": [{...}, ...]}   then visits with participants,
    {"record": "article", ..., "outlet": slug, "visits": [slugs], "quotes": [{...}, ...]}  then articles,
    {"record": "end", "counts": {"outlet": 3, ..., "quote": 500}}

- Each record holds its model's curated fields (`curated_fields`, declared once on the model) plus
  `created_at`, `updated_at` (UTC, ISO 8601 to the microsecond) and `version`. Derived fields (an
  expert's search_names, a quote's position and digest) are not written: import recomputes them.
- Relations are natural keys, as in fixtures: a slug, or a list of slugs sorted (`visits`, `cities`).
- An article carries its quotes and a visit its participants, in the record's own line, so import
  checks an article's quotes against its body holding that one article in memory. A quote names its
  `speaker`, `relayed_by` and `visit` by slug.
- Kinds come in the order above (a record refers only to kinds before it); within a kind, records are
  in database order (by id), so importing a file and exporting it again gives the same bytes.
- The `end` line counts what the file holds: a file cut short (a full disk, an interrupted copy) has
  none, and is refused rather than loaded in part.

The JSON form is the same objects as one array, `[header, record, ..., end]`, written one record a
line; import reads it incrementally (ijson), so it too needs constant memory.

History is not exported: it is this database's audit trail, like `dumpdata corpus_app`. Import gives
each record it loads one history entry, "+" (created), dated the record's `updated_at`, with the reason
IMPORT_REASON (articles and visits with their visits and cities), as loading a fixture does.
"""
