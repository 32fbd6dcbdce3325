"""The floor: the least a server can do to answer the corpus's quote and article lists.

A WSGI app with no framework: psycopg2, one connection per worker process, the same joins the API's
listing querysets make, keyset pagination (`?after=`) and the standard library's json. Whatever the
corpus API spends beyond this is framework, serialization and features. Served by gunicorn like the
corpus (bench/run.py):

    DATABASE_URL=postgres://... gunicorn --config config/gunicorn.py bench.peers.floor:application

Routes: /quotes/ (filters speaker, visit, article, kind, published_after, published_before),
/quotes/<id>/, /articles/ (filters outlet, visit, expert, published_after, published_before),
/articles/<id>/; page_size (default 50, at most 500).
"""

import datetime
import json
import os
import re
from urllib.parse import parse_qs, urlencode

import psycopg2
import psycopg2.extras

EXPERT = "json_build_object('id', {0}.id, 'slug', {0}.slug, 'name', {0}.name)"
QUOTES = f"""
SELECT q.id, q.text, q.kind, {EXPERT.format("s")} AS speaker,
       CASE WHEN r.id IS NULL THEN NULL ELSE {EXPERT.format("r")} END AS relayed_by,
       json_build_object('id', a.id, 'slug', a.slug, 'title', a.title, 'published_date', a.published_date,
                         'published_date_precision', a.published_date_precision) AS article,
       CASE WHEN v.id IS NULL THEN NULL ELSE json_build_object(
           'id', v.id, 'slug', v.slug, 'title', v.title, 'start_date', v.start_date,
           'start_date_precision', v.start_date_precision, 'end_date', v.end_date,
           'end_date_precision', v.end_date_precision) END AS visit,
       q.notes, q.position, q.version, q.created_at, q.updated_at
FROM corpus_app_quote q
JOIN corpus_app_expert s ON s.id = q.speaker_id
LEFT JOIN corpus_app_expert r ON r.id = q.relayed_by_id
JOIN corpus_app_article a ON a.id = q.article_id
LEFT JOIN corpus_app_visit v ON v.id = q.visit_id
"""
QUOTE_FILTERS = {
    "speaker": "q.speaker_id = %s", "visit": "q.visit_id = %s", "article": "q.article_id = %s", "kind": "q.kind = %s",
    "published_after": "a.published_date >= %s", "published_before": "a.published_date <= %s",
}  # fmt: skip
ARTICLES = """
SELECT a.id, a.slug, a.title, a.subtitle,
       CASE WHEN o.id IS NULL THEN NULL
            ELSE json_build_object('id', o.id, 'slug', o.slug, 'name', o.name) END AS outlet,
       a.author, a.credit, a.published_date, a.published_date_precision, a.published_date_inferred,
       a.published_date_note, a.published_time, a.url, a.language, a.section, a.view_count, a.body, a.notes,
       a.version, a.created_at, a.updated_at
FROM corpus_app_article a
LEFT JOIN corpus_app_outlet o ON o.id = a.outlet_id
"""
ARTICLE_FILTERS = {
    "outlet": "a.outlet_id = %s",
    "visit": "EXISTS (SELECT 1 FROM corpus_app_article_visits av WHERE av.article_id = a.id AND av.visit_id = %s)",
    "expert": "EXISTS (SELECT 1 FROM corpus_app_quote q WHERE q.article_id = a.id AND q.speaker_id = %s)",
    "published_after": "a.published_date >= %s", "published_before": "a.published_date <= %s",
}  # fmt: skip
# The page's visits and quote counts in one query each, for its rows only: a count in the page query
# itself is computed for every row the filter matches before the sort picks 50 (measured: 500 ms a page).
QUOTE_COUNTS = "SELECT article_id, count(*) FROM corpus_app_quote WHERE article_id = ANY(%s) GROUP BY article_id"
ARTICLE_VISITS = """
SELECT av.article_id, v.id, v.slug, v.title, v.start_date, v.start_date_precision, v.end_date, v.end_date_precision
FROM corpus_app_article_visits av JOIN corpus_app_visit v ON v.id = av.visit_id WHERE av.article_id = ANY(%s)
"""
DETAIL = re.compile(r"^/(quotes|articles)/(\d+)/$")
_connection = None


def connection():
    """One connection per worker process, opened on its first request (gunicorn forks after import)."""
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg2.connect(os.environ["DATABASE_URL"])
        _connection.autocommit = True
    return _connection


def to_json(value):
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    raise TypeError(type(value))


def fetch(sql: str, params: list) -> list[dict]:
    with connection().cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def where(query: dict, filters: dict) -> tuple[list[str], list]:
    clauses, params = [], []
    for name, clause in filters.items():
        if name in query:
            clauses.append(clause)
            params.append(query[name])
    return clauses, params


def quotes(query: dict, page_size: int, base: str) -> dict:
    clauses, params = where(query, QUOTE_FILTERS)
    if "after" in query:  # keyset: the reading order is (article, position, id)
        clauses.append("(q.article_id, q.position, q.id) > (%s, %s, %s)")
        params += query["after"].split(".")
    sql = QUOTES + (" WHERE " + " AND ".join(clauses) if clauses else "")
    rows = fetch(sql + " ORDER BY q.article_id, q.position, q.id LIMIT %s", [*params, page_size])
    last = rows[-1] if len(rows) == page_size else None
    after = last and f"{last['article']['id']}.{last['position']}.{last['id']}"
    return page(rows, after, query, base)


def articles(query: dict, page_size: int, base: str) -> dict:
    clauses, params = where(query, ARTICLE_FILTERS)
    sql = ARTICLES + (" WHERE " + " AND ".join(clauses) if clauses else "")
    rows = fetch(sql + " ORDER BY a.published_date DESC NULLS LAST, a.slug LIMIT %s", [*params, page_size])
    return page(with_visits_and_counts(rows), None, query, base)


def with_visits_and_counts(rows: list[dict]) -> list[dict]:
    visits = {row["id"]: [] for row in rows}
    for visit in fetch(ARTICLE_VISITS, [list(visits)]):
        visits[visit.pop("article_id")].append(visit)
    counts = {row["article_id"]: row["count"] for row in fetch(QUOTE_COUNTS, [list(visits)])}
    for row in rows:
        row["visits"], row["quote_count"] = visits[row["id"]], counts.get(row["id"], 0)
    return rows


def page(rows: list, after: str | None, query: dict, base: str) -> dict:
    next_url = after and f"{base}?{urlencode({**query, 'after': after})}"
    return {"next": next_url, "results": rows}


def application(environ, start_response):
    path = environ["PATH_INFO"]
    query = {name: values[-1] for name, values in parse_qs(environ.get("QUERY_STRING", "")).items()}
    page_size = min(int(query.get("page_size", 50)), 500)
    base = f"http://{environ['HTTP_HOST']}{path}"
    if path == "/quotes/":
        body = quotes(query, page_size, base)
    elif path == "/articles/":
        body = articles(query, page_size, base)
    elif match := DETAIL.match(path):
        listing = QUOTES + " WHERE q.id = %s" if match[1] == "quotes" else ARTICLES + " WHERE a.id = %s"
        rows = fetch(listing, [match[2]])
        if match[1] == "articles":
            rows = with_visits_and_counts(rows)
        body = rows[0] if rows else None
    else:
        body = None
    if body is None:
        start_response("404 Not Found", [("Content-Type", "application/json")])
        return [b'{"detail": "Not found."}']
    data = json.dumps(body, default=to_json).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]
