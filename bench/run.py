#!/usr/bin/env python3
"""`make bench`: the corpus API at archive scale against the servers a user could pick instead.

On one generated corpus in PostgreSQL (bench/dataset.py keeps it between runs), each system in turn
is started, warmed, and loaded with wrk endpoint by endpoint, then stopped, so no two share the CPU:

    corpus      the project as `make serve` runs it (gunicorn, debug off), throttling lifted
    plain_drf   DRF's defaults over the same tables (bench/peers/plain_drf.py), same gunicorn
    floor       the same SQL with psycopg2 and json, no framework (bench/peers/floor.py), same gunicorn
    datasette   Datasette over the same rows copied to SQLite, in its own environment (bench/.venv-peers)

Then EXPLAIN of the corpus's list queries (bench/query_plans.py) and, in a full run, import_corpus
against loaddata (bench/archive.py). Prints the table with ratios and PASS/MISS per target, and writes
bench/results/latest.json and latest.md (--smoke: bench/data/smoke.*). Targets never fail the run;
anything that is not a 2xx answer, or a server that does not start, does.

    make bench          # 101,000 articles (over 500,000 quotes), 10 s per endpoint
    make bench-smoke    # 300 articles, 1 s per endpoint, no Datasette: CI's check that this still runs
"""

import argparse
import datetime
import json
import os
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dataset  # noqa: E402
import endpoints  # noqa: E402
import load  # noqa: E402
import report  # noqa: E402
import servers  # noqa: E402
from peers import sqlite_export  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PEERS_VENV = ROOT / "bench" / ".venv-peers"
PORTS = {"corpus": 8181, "plain_drf": 8182, "floor": 8183, "datasette": 8184}
SIZE_PARAMS = {"corpus": "page_size", "plain_drf": "page_size", "floor": "page_size", "datasette": "_size"}
# One key for the run: the servers sign their cursors with it, and the EXPLAIN step replays those cursors.
SECRET_KEY = secrets.token_urlsafe(50)
LIFTED = "off"  # API_THROTTLE_*=off: DRF counts nothing (a raised rate still counts every request)


def options():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="300 articles, 1 s per endpoint, no Datasette.")
    parser.add_argument("--articles", type=int, help="Articles to generate (default 101,000; smoke 300).")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=float, help="Load per endpoint (default 10; smoke 1).")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2).")
    parser.add_argument("--connections", type=int, help="wrk connections (default 2 per worker).")
    parser.add_argument("--systems", help="Comma-separated (default: all; smoke: no datasette).")
    parser.add_argument("--only", help="Only the endpoints whose name holds one of these comma-separated words "
                                       "(e.g. 'search:' for /api/search/).")  # fmt: skip
    parser.add_argument("--archive-articles", type=int, default=5000,
                        help="import_corpus against loaddata at this size (bench/archive.py); 0 skips it.")  # fmt: skip
    parser.add_argument("--database-url", help="Default: database corpus_bench (smoke: corpus_bench_smoke) "
                                               "on DATABASE_URL's server.")  # fmt: skip
    parser.add_argument("--regenerate", action="store_true", help="Generate the data again even if it is current.")
    found = parser.parse_args()
    smoke = found.smoke
    found.articles = found.articles or (300 if smoke else 101_000)
    found.seconds = found.seconds or (1 if smoke else 10)
    found.connections = found.connections or 2 * servers.workers()
    found.systems = (found.systems or ("corpus,plain_drf,floor" if smoke else ",".join(PORTS))).split(",")
    if smoke:
        found.archive_articles = 0
    server = urlsplit(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/corpus")
    if not found.database_url:
        if not server.scheme.startswith("postgres"):
            raise SystemExit("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://... (or --database-url).")
        found.database_url = server._replace(path="/corpus_bench_smoke" if smoke else "/corpus_bench").geturl()
    return found


def environments(database_url: str, workers: int) -> dict[str, dict[str, str]]:
    """Each system's environment: production settings, persistent connections, nothing throttled."""
    django = {"DATABASE_URL": database_url, "DJANGO_ENV_FILE": "", "DJANGO_DEBUG": "0",
              "DJANGO_SECRET_KEY": SECRET_KEY, "DATABASE_CONN_MAX_AGE": "600",
              "WEB_CONCURRENCY": str(workers), "DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_SECURE_HSTS_SECONDS": "0",
              "API_THROTTLE_ANON": LIFTED, "API_THROTTLE_USER": LIFTED,
              # Production cancels a query after 5 s (503); lifted so a slow endpoint gets a number, and
              # report.py flags every endpoint slower than that bound.
              "API_STATEMENT_TIMEOUT_MS": "0"}  # fmt: skip
    return {
        "corpus": {**django, "DJANGO_SETTINGS_MODULE": "config.settings"},
        "plain_drf": {**django, "DJANGO_SETTINGS_MODULE": "bench.peers.plain_drf"},
        "floor": {"DATABASE_URL": database_url, "WEB_CONCURRENCY": str(workers)},
        "datasette": {},
    }


def commands(sqlite_path: Path | None) -> dict[str, list[str]]:
    return {
        "corpus": servers.gunicorn("config.wsgi", PORTS["corpus"]),
        "plain_drf": servers.gunicorn("bench.peers.plain_drf:application", PORTS["plain_drf"]),
        "floor": servers.gunicorn("bench.peers.floor:application", PORTS["floor"]),
        # Immutable: Datasette counts each table once and opens the file read-only. Facet suggestions
        # off (each list page would otherwise try a facet query per column); queries may run 30 s.
        "datasette": [str(PEERS_VENV / "bin" / "datasette"), "serve", "--immutable", str(sqlite_path),
                      "--host", "127.0.0.1", "--port", str(PORTS["datasette"]), "--setting", "suggest_facets", "off",
                      "--setting", "sql_time_limit_ms", "30000"] if sqlite_path else [],
    }  # fmt: skip


def datasette_ready(database_url: str, articles: int, seed: int) -> Path:
    """Datasette in its own environment, and the data copied to SQLite (both kept between runs)."""
    if not (PEERS_VENV / "bin" / "datasette").exists():
        print("== installing Datasette into bench/.venv-peers", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV)], check=True)
        subprocess.run([str(PEERS_VENV / "bin" / "pip"), "install", "--quiet", "-r",
                        str(ROOT / "bench" / "requirements-peers.txt")], check=True)  # fmt: skip
    stamp = re.sub(r"\W+", "-", dataset.stamp(articles, seed))
    path = ROOT / "bench" / "data" / stamp / "corpus.db"  # Datasette names the database after the file
    if not path.exists():
        print(f"== copying the data to SQLite for Datasette ({path.relative_to(ROOT)})", flush=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        sqlite_export.export(database_url, path)
    return path


def cycle_loads(rows, system: str, threads: int) -> dict[str, str]:
    """Lua data files for the mixes of `system` (GETs sent in turn, anonymously), keyed by endpoint name."""
    return {row.name: load.write_data(method="GET", items=[(path, "") for path in row.cycle[system]], headers={},
                                      threads=threads)
            for row in rows if row.kind == "mix" and row.cycle.get(system)}  # fmt: skip


def write_loads(rows, system: str, token: str, samples: dict, candidates, threads: int) -> dict[str, str]:
    """Lua data files for the write endpoints of `system`, keyed by endpoint name."""
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    files = {}
    for row in rows:
        prefix = row.urls.get(system)
        if row.kind != "write" or not prefix:
            continue
        if "PATCH" in row.name:
            experts = samples["experts"]
            items = [(f"{prefix}{pk}/", json.dumps({"role": f"analyst {i}"})) for i, pk in enumerate(experts)]
            files[row.name] = load.write_data(method="PATCH", items=items, headers=headers, threads=threads)
        else:
            experts = samples["experts"]
            items = [(prefix, json.dumps({"article": article, "speaker": experts[i % len(experts)],
                                          "kind": "paraphrase", "text": text}))
                     for i, (article, text) in enumerate(candidates)]  # fmt: skip
            files[row.name] = load.write_data(method="POST", items=items, headers=headers, threads=threads,
                                              delete_prefix=prefix)  # fmt: skip
    return files


def measure(system: str, rows, spec: load.Load, base: str, write_files: dict, errors: list, deep_page: int) -> dict:
    """Every endpoint of `system` on its running server: {endpoint name: result}."""
    # A list's ?search= on plain DRF scans every article body, seconds a request: give it time for a few
    # answers (the corpus's /api/search/ rows are "ranked", measured like any other endpoint).
    slow_spec = load.Load(spec.threads, spec.connections, spec.seconds if spec.seconds < 10 else 3 * spec.seconds)
    found = {}
    for row in rows:
        path = row.urls.get(system)
        if not path:
            continue
        try:
            if row.kind == "deep":
                url = endpoints.deep_url(base + path, SIZE_PARAMS[system], deep_page)
                row.urls[system] = url.removeprefix(base)  # the deep page's address, in the results
            else:
                url = base + path
            if row.kind in ("write", "mix"):
                for path in row.cycle.get(system, []):
                    load.check(base + path)  # warm, and fail early on an error
                result = load.run_wrk(base + "/", spec, lua_data=write_files[row.name])
            else:
                load.check(url)  # warm, and fail early on an error
                result = load.run_wrk(url, slow_spec if row.kind == "search" else spec)
        except (load.LoadError, RuntimeError, OSError) as error:
            errors.append(f"{system}: {row.name}: {error}")
            print(f"   ERROR {row.name}: {error}", flush=True)
            continue
        found[row.name] = result
        print(f"   {row.name:<32} {result['rps']:>8,.0f} req/s  p50 {result['p50_ms']:7.1f} ms  "
              f"p99 {result['p99_ms']:7.1f} ms", flush=True)  # fmt: skip
    return found


def archive_speed(database_url: str, articles: int) -> dict | None:
    """import_corpus against loaddata of the same data, by bench/archive.py (scratch databases)."""
    print(f"== import_corpus against loaddata, {articles:,} articles (bench/archive.py)", flush=True)
    done = subprocess.run([sys.executable, "bench/archive.py", "--sizes", str(articles)], cwd=ROOT, text=True,
                          env={**os.environ, "DATABASE_URL": database_url}, capture_output=True)  # fmt: skip
    print(done.stdout, done.stderr[-2000:] if done.returncode else "", flush=True)
    seconds = dict(re.findall(r"^\s+(import_corpus|loaddata)\s+([\d.]+) s", done.stdout, re.M))
    if done.returncode or len(seconds) < 2:
        return None
    return {"articles": articles, "import_seconds": float(seconds["import_corpus"]),
            "loaddata_seconds": float(seconds["loaddata"]),
            "speedup": round(float(seconds["loaddata"]) / float(seconds["import_corpus"]), 1)}  # fmt: skip


def main():
    opts = options()
    started = time.monotonic()
    workers = servers.workers()
    spec = load.Load(threads=opts.threads, connections=opts.connections, seconds=opts.seconds)
    load.wrk_path()
    dataset.database_ensure(opts.database_url, articles=opts.articles, seed=opts.seed, regenerate=opts.regenerate)
    token = dataset.token_ensure(opts.database_url)
    samples = dataset.samples(opts.database_url)
    candidates = dataset.quote_candidates(opts.database_url, 200)
    rows = [row for row in endpoints.table(samples)
            if not opts.only or any(word in row.name for word in opts.only.split(","))]  # fmt: skip
    sqlite_path = datasette_ready(opts.database_url, opts.articles, opts.seed) if "datasette" in opts.systems else None
    dataset.manage(opts.database_url, "collectstatic", "--no-input", "--verbosity", "0", "--ignore", "redoc")
    envs, cmds = environments(opts.database_url, workers), commands(sqlite_path)
    load_average = " ".join(f"{n:.2f}" for n in os.getloadavg())
    results, errors, deep_page = {}, [], endpoints.deep_page(samples)
    for system in opts.systems:
        base = f"http://127.0.0.1:{PORTS[system]}"
        ready = base + next(row.urls[system] for row in rows if row.urls.get(system) and row.kind in endpoints.READS)
        print(f"== {system}: {' '.join(cmds[system][:1] + cmds[system][-1:])} on {base}", flush=True)
        write_files = {**write_loads(rows, system, token, samples, candidates, opts.threads),
                       **cycle_loads(rows, system, opts.threads)}  # fmt: skip
        try:
            with servers.serving(system, cmds[system], env=envs[system], ready_url=ready):
                results[system] = measure(system, rows, spec, base, write_files, errors, deep_page)
        except RuntimeError as error:
            errors.append(f"{system}: {error}")
            print(f"   ERROR {error}", flush=True)
        for path in write_files.values():
            os.unlink(path)
    explain_paths = [row.urls["corpus"] for row in rows if row.kind in ("list", "deep", "filter", "search")
                     and row.urls.get("corpus")] if "corpus" in opts.systems else []  # fmt: skip
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    meta = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"), "commit": commit.stdout.strip(),
        "articles": samples["articles"], "quotes": samples["quotes"], "seed": opts.seed,
        "cores": workers, "workers": workers, "threads": spec.threads, "connections": spec.connections,
        "seconds": spec.seconds, "load_average": load_average,
    }  # fmt: skip
    table = [{"name": row.name, "kind": row.kind, "urls": row.urls,
              "results": {s: results.get(s, {}).get(row.name) for s in opts.systems}} for row in rows]  # fmt: skip
    explain = query_plans(opts.database_url, explain_paths, errors) if explain_paths else []
    archive = archive_speed(opts.database_url, opts.archive_articles) if opts.archive_articles else None
    run = {"meta": meta, "systems": opts.systems, "endpoints": table, "explain": explain,
           "import_vs_loaddata": archive, "errors": errors}  # fmt: skip
    # Only a full run of every endpoint is the committed result.
    stem, directory = ("latest", ROOT / "bench" / "results")
    if opts.smoke or opts.only:
        stem, directory = ("smoke" if opts.smoke else "only"), ROOT / "bench" / "data"
    report.write(run, directory, stem)
    print()
    print(report.terminal(run))
    print(f"\nWritten: {directory.relative_to(ROOT)}/{stem}.json and {stem}.md ({time.monotonic() - started:.0f} s)")
    if errors:
        print("\nErrors (not a 2xx answer, or a server that did not start):", *errors, sep="\n  ")
        sys.exit(1)


def query_plans(database_url: str, paths: list[str], errors: list) -> list[dict]:
    print("== EXPLAIN of the corpus's list queries", flush=True)
    done = subprocess.run([sys.executable, "bench/query_plans.py", *paths], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "DATABASE_URL": database_url, "DJANGO_ENV_FILE": "",
                               "DJANGO_SECRET_KEY": SECRET_KEY})  # fmt: skip
    if done.returncode:
        errors.append(f"EXPLAIN: {done.stderr.strip()[-500:]}")
        return []
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
