#!/usr/bin/env python3
"""EXPLAIN (not ANALYZE) of every query the corpus API runs for the benchmarked lists.

Each path is requested in-process (Django's test client, on the database of DATABASE_URL, nothing
written), every SELECT it ran is explained, and the plan's sequential scans of the two big tables,
corpus_app_quote and corpus_app_article, are named: at benchmark size each one reads the whole table.
Prints one JSON line: [{"endpoint": path, "queries": n, "seq_scans": ["corpus_app_article", ...]}].

    DATABASE_URL=postgres://.../corpus_bench .venv/bin/python bench/query_plans.py /api/quotes/ /api/articles/
"""

import json
import os
import sys
from pathlib import Path

BIG_TABLES = {"corpus_app_quote", "corpus_app_article"}


def seq_scans(plan: dict) -> list[str]:
    found = (
        [plan["Relation Name"]]
        if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") in BIG_TABLES
        else []
    )
    for child in plan.get("Plans", []):
        found += seq_scans(child)
    return found


def plans(paths: list[str]) -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    found = []
    for path in paths:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"GET {path} answered {response.status_code}")
        scans = []
        with connection.cursor() as cursor:
            for query in queries.captured_queries:
                if query["sql"].lstrip().upper().startswith("SELECT"):
                    cursor.execute("EXPLAIN (FORMAT JSON) " + query["sql"])
                    scans += seq_scans(cursor.fetchone()[0][0]["Plan"])
        found.append({"endpoint": path, "queries": len(queries.captured_queries), "seq_scans": sorted(set(scans))})
    return found


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.update(DJANGO_SETTINGS_MODULE="config.settings", DJANGO_SECURE_SSL_REDIRECT="0",
                      DJANGO_REQUEST_LOG_LEVEL="ERROR", API_THROTTLE_ANON="1000000/second",
                      API_STATEMENT_TIMEOUT_MS="0")  # fmt: skip
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-insecure-key")
    import django

    django.setup()
    print(json.dumps(plans(sys.argv[1:])))
