"""EXPLAIN the page query of every list the API serves, on PostgreSQL, and fail where no index serves it.

For each list, each ordering it offers and each filter, the script requests the first page and a
page after a cursor through Django's test client (no server, no network), takes the page's SQL as
it ran, and prints its plan (EXPLAIN, without ANALYZE: nothing is executed). A plan fails if it
reads a whole table (Seq Scan) or sorts (a Sort node) where an index should give the rows in order;
lists filtered through a join or by a range may sort the rows the filter found, never the table.
Orderings on counts that are not yet columns (quote_count, ...) are listed as skipped.

The planner rightly prefers a sequential scan and a sort on a table of a few hundred rows, so on a
small database run it with --force-index (SET enable_seqscan = off, enable_sort = off): a Seq Scan
or Sort left in a plan then means no index can serve the query at all. On the benchmark's database
(100,000 articles) run it as it is: then a table of fewer than 10,000 rows (outlets, cities) may be
read whole, and a few rows a filter found sorted.

    export DJANGO_DEBUG=1
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/corpus_bench .venv/bin/python bench/explain.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/corpus .venv/bin/python bench/explain.py --force-index

Like any script it reads the environment only (config/env_file.py): DJANGO_DEBUG=1, or a secret key.

Exits 1 if a plan fails, 2 if the database is not PostgreSQL or has no rows to page through.
tests/test_keyset_plans.py runs the same check on a few hundred rows.
"""

import argparse
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Filters through a join, or on a range of another column than the order's, where the rows found are
# sorted (never the table): by list route, the filter parameters.
SORTS_FOUND_ROWS = {
    "article-list": {"visit", "expert"},
    "quote-list": {"speaker_kind", "published_after", "published_before"},
    "visit-list": {"city", "participant", "date_after"},
}
SEQ_SCAN = re.compile(r"Seq Scan on (corpus_app_\w+)")
# Without --force-index, what the planner does with a table of fewer rows than this is its business.
SMALL = 10_000
# A full Sort node. An Incremental Sort reads its input in the order of its leading key (an index's
# first column) and sorts each group of equal keys: bounded by the page, not the table, so it passes.
SORT = re.compile(r"(?:->|^)\s*Sort\s+\(cost=\S+ rows=(\d+)", re.MULTILINE)


@dataclass
class Plan:
    label: str
    sql: str
    text: str
    problems: list[str]


def _filters():
    """(list route, filter parameters) for every filter family the API offers, on ids that exist."""
    from corpus_app.models import Article, Expert, Quote, Visit, VisitParticipant

    def first(queryset, field):
        return queryset.exclude(**{f"{field}__isnull": True}).values_list(field, flat=True).first()

    article, quote, visit = Article.objects.first(), Quote.objects.first(), Visit.objects.first()
    date = first(Article.objects, "published_date")
    found = [
        ("article-list", {"outlet": first(Article.objects, "outlet")}),
        ("article-list", {"language": article and article.language}),
        ("article-list", {"section": first(Article.objects.exclude(section=""), "section")}),
        ("article-list", {"published_after": date, "published_before": date}),
        ("article-list", {"visit": first(Article.objects, "visits")}),
        ("article-list", {"expert": quote and quote.speaker_id}),
        ("quote-list", {"speaker": quote and quote.speaker_id}),
        ("quote-list", {"visit": first(Quote.objects, "visit")}),
        ("quote-list", {"relayed_by": first(Quote.objects, "relayed_by")}),
        ("quote-list", {"article": quote and quote.article_id}),
        ("quote-list", {"kind": quote and quote.kind}),
        ("quote-list", {"speaker_kind": quote and quote.speaker.kind}),
        ("quote-list", {"published_after": date, "published_before": date}),
        ("expert-list", {"kind": first(Expert.objects, "kind")}),
        ("expert-list", {"country": first(Expert.objects.exclude(country=""), "country")}),
        ("visit-list", {"kind": visit and visit.kind}),
        ("visit-list", {"status": visit and visit.status}),
        ("visit-list", {"host_country": visit and visit.host_country}),
        ("visit-list", {"city": first(Visit.objects, "cities")}),
        ("visit-list", {"participant": first(VisitParticipant.objects, "person")}),
        ("visit-list", {"date_after": first(Visit.objects, "start_date")}),
        ("visit-list", {"date_before": first(Visit.objects, "start_date")}),
        ("visitparticipant-list", {"visit": first(VisitParticipant.objects, "visit")}),
        ("visitparticipant-list", {"person": first(VisitParticipant.objects, "person")}),
        ("visitparticipant-list", {"role": first(VisitParticipant.objects, "role")}),
        ("city-list", {"country": "AZ"}),
    ]
    return [
        (route, {name: str(value) for name, value in params.items()})
        for route, params in found
        if all(value not in (None, "") for value in params.values())
    ]


def _requests():
    """(label, path, query parameters, whether the page may sort the rows its filter found)."""
    from django.urls import reverse

    from corpus_app.api.orderings import orderings_of
    from corpus_app.models import Article, City, Expert, Outlet, Quote, Visit, VisitParticipant

    for model in (Article, Quote, Expert, Visit, Outlet, City, VisitParticipant):
        route = f"{model._meta.model_name}-list"
        for name, ordering in orderings_of(model).items():
            if not all(_is_column(model, key.field) for key in ordering.keys):
                yield f"{route} ordering={name}: skipped, the count is not yet a column", None, None, False
                continue
            yield f"{route} ordering={name}", reverse(route), {"ordering": name}, False
    for route, params in _filters():
        label = " ".join(f"{k}={v}" for k, v in params.items())
        yield f"{route} {label}", reverse(route), params, bool(SORTS_FOUND_ROWS.get(route, set()) & set(params))
    related = [
        ("expert-quotes", Quote.objects.values_list("speaker", flat=True).first(), False),
        ("visit-quotes", Quote.objects.exclude(visit=None).values_list("visit", flat=True).first(), False),
        ("article-quotes", Quote.objects.values_list("article", flat=True).first(), False),
        ("visit-articles", Article.visits.through.objects.values_list("visit", flat=True).first(), True),
    ]
    for route, pk, sorts in related:
        if pk is not None:
            yield route, reverse(route, args=[pk]), {}, sorts


def _is_column(model, name: str) -> bool:
    return any(name in (field.name, field.attname) for field in model._meta.concrete_fields)


def _page_query(path: str, params: dict, page_size: int) -> str | None:
    """The SQL of the page a GET reads: the statement with ORDER BY and LIMIT."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = Client().get(path, {**params, "page_size": page_size}, HTTP_HOST="localhost")
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} {params}: {response.status_code} {response.content[:300]!r}")
    pages = [q["sql"] for q in captured.captured_queries if "ORDER BY" in q["sql"] and "LIMIT" in q["sql"]]
    return pages[0] if pages else None


def _explain(sql: str, force_index: bool) -> str:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        if force_index:
            # Each only makes its plan nodes dearer: a Seq Scan or Sort still in the plan has no alternative.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        # Rolled back, so the settings end here even inside an outer transaction (a test's).
        transaction.set_rollback(True)
    return plan


def _table_rows() -> dict[str, float]:
    """The planner's estimate of each table's rows (pg_class.reltuples)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reltuples FROM pg_class WHERE relkind = 'r' AND relname LIKE 'corpus_app_%'")
        return dict(cursor.fetchall())


def _problems(text: str, may_sort: bool, table_rows: dict[str, float] | None) -> list[str]:
    """What is wrong with a plan; with table_rows (not forcing indexes), only where many rows are involved."""
    problems = [
        f"reads all of {table}"
        for table in SEQ_SCAN.findall(text)
        if table_rows is None or table_rows.get(table, 0) >= SMALL
    ]
    sorted_rows = [int(rows) for rows in SORT.findall(text)]
    if not may_sort and any(table_rows is None or rows >= SMALL for rows in sorted_rows):
        problems.append("sorts instead of reading an index in order")
    return problems


def endpoint_plans(*, force_index: bool, page_size: int = 50) -> list[Plan]:
    """The plan of the first page and of a page after a cursor, for every list, ordering and filter."""
    from django.test import Client

    plans, table_rows = [], None if force_index else _table_rows()
    for label, path, params, may_sort in _requests():
        if path is None:
            plans.append(Plan(label, "", "", []))
            continue
        first_page = Client().get(path, {**params, "page_size": 1}, HTTP_HOST="localhost").json()
        pages = [("first page", params)]
        if first_page.get("next"):
            cursor = parse_qs(urlsplit(first_page["next"]).query)["cursor"][0]
            pages.append(("after a cursor", {**params, "cursor": cursor}))
        for page, page_params in pages:
            sql = _page_query(path, page_params, page_size)
            if sql is None:
                plans.append(Plan(f"{label}, {page}", "", "", ["no page query found"]))
                continue
            text = _explain(sql, force_index)
            plans.append(Plan(f"{label}, {page}", sql, text, _problems(text, may_sort, table_rows)))
    return plans


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--force-index", action="store_true", help="disable seq scans and sorts (small databases)")
    parser.add_argument("--quiet", action="store_true", help="print only the failing plans")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # A few hundred requests from one address: not what the throttle is for.
    os.environ.setdefault("API_THROTTLE_ANON", "1000000/hour")
    import django

    django.setup()
    from django.db import connection

    from corpus_app.models import Quote

    if connection.vendor != "postgresql":
        print("bench/explain.py needs PostgreSQL: set DATABASE_URL=postgres://...", file=sys.stderr)
        return 2
    if not Quote.objects.exists():
        print(
            "No quotes to page through: load a corpus first (manage.py generate_corpus, or make run).", file=sys.stderr
        )
        return 2
    plans = endpoint_plans(force_index=args.force_index)
    for plan in plans:
        if args.quiet and not plan.problems:
            continue
        verdict = "FAIL: " + "; ".join(plan.problems) if plan.problems else ("ok" if plan.text else "")
        print(f"== {plan.label} {verdict}")
        if plan.text:
            print(plan.text, end="\n\n")
    failed = [plan for plan in plans if plan.problems]
    print(f"{len(plans)} plans, {len(failed)} failing")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
