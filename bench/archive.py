#!/usr/bin/env python3
"""Archive scale: how fast generate_corpus, export_corpus and import_corpus are, against loaddata.

For each size it makes scratch databases on the PostgreSQL server of DATABASE_URL (named after its
database, with _bench_src and _bench_dst; dropped at the end), generates a corpus into the source,
exports it as NDJSON and as a fixture (dumpdata --natural-foreign --natural-primary), and loads each
into the empty destination: import_corpus, then (for the first size only, it is slow) loaddata.
Each command runs as a child process, so its peak memory (ru_maxrss) is its own.

Not a test and not in CI.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/corpus .venv/bin/python bench/archive.py --sizes 5000,20000
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2

ROOT = Path(__file__).resolve().parent.parent


def run(database_url: str, *args: str) -> tuple[float, int]:
    """Run a manage.py command on `database_url`; (seconds, peak resident memory in MB)."""
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_ENV_FILE": ""}
    env.setdefault("DJANGO_SECRET_KEY", "bench-only-insecure-key")
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(process.pid, 0)
    if status:
        raise SystemExit(f"manage.py {' '.join(args)} failed ({status})")
    return time.monotonic() - started, usage.ru_maxrss // 1024


def recreate(server_url: str, name: str) -> str:
    connection = psycopg2.connect(server_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    return name


def drop(server_url: str, name: str) -> None:
    connection = psycopg2.connect(server_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    connection.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="5000,20000", help="Articles per run, comma-separated.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-loaddata", action="store_true", help="Skip the (slow) loaddata comparison.")
    options = parser.parse_args()
    url = urlsplit(os.environ.get("DATABASE_URL", ""))
    if not url.scheme.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL=postgres://... (scratch databases are made beside its database).")
    base = url.path.lstrip("/")
    server = urlunsplit(url._replace(path="/postgres"))
    databases = {role: urlunsplit(url._replace(path=f"/{base}_bench_{role}")) for role in ("src", "dst")}
    try:
        for index, articles in enumerate(int(size) for size in options.sizes.split(",")):
            with tempfile.TemporaryDirectory() as scratch:
                bench_size(articles, options.seed, server, base, databases, Path(scratch),
                           loaddata=index == 0 and not options.no_loaddata)  # fmt: skip
    finally:
        for role in databases:
            drop(server, f"{base}_bench_{role}")


def bench_size(articles, seed, server, base, databases, scratch, *, loaddata):
    src, dst = databases["src"], databases["dst"]
    for role in databases:
        recreate(server, f"{base}_bench_{role}")
        run(databases[role], "migrate", "--no-input", "-v0")
    archive, fixture = scratch / "corpus.ndjson", scratch / "corpus.json"
    rows = [("generate_corpus", *run(src, "generate_corpus", "--articles", str(articles), "--seed", str(seed)))]
    rows.append(("export_corpus (NDJSON)", *run(src, "export_corpus", str(archive))))
    rows.append(("dumpdata (fixture)", *run(src, "dumpdata", "--natural-foreign", "--natural-primary",
                                           "corpus_app", "--output", str(fixture))))  # fmt: skip
    rows.append(("import_corpus", *run(dst, "import_corpus", str(archive))))
    if loaddata:
        run(dst, "flush", "--no-input")
        rows.append(("loaddata", *run(dst, "loaddata", str(fixture))))
    print(f"\n{articles:,} articles (about {articles * 5:,} quotes): archive {archive.stat().st_size / 1e6:,.0f} MB, "
          f"fixture {fixture.stat().st_size / 1e6:,.0f} MB")  # fmt: skip
    for name, seconds, memory in rows:
        print(f"  {name:<24} {seconds:8.1f} s   peak {memory:5,} MB")
    if loaddata:
        import_seconds, load_seconds = rows[3][1], rows[4][1]
        print(f"  import_corpus is {load_seconds / import_seconds:.1f}x faster than loaddata")


if __name__ == "__main__":
    main()
