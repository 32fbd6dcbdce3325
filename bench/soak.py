#!/usr/bin/env python3
"""A bounded soak of the production setup: gunicorn (`make serve`) on PostgreSQL, with the database
dropping connections now and then.

A few client threads send mixed reads and writes for a fixed time while another thread terminates
the server's database connections (pg_terminate_backend) every few seconds. Then every write the
server acknowledged is read back. The report gives the requests, their statuses, p50/p99 latency,
and the errors: a 5xx counts as an error unless the request was in flight at the moment its
connection was killed (that request's query really did fail; the next one must not). The exit status
is non-zero if there was any error or any acknowledged write is missing.

Not a test and not in CI (it runs for minutes). Only loopback addresses: it refuses a server or a
database elsewhere.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/corpus make soak               # about 2.5 minutes
    DATABASE_URL=... .venv/bin/python bench/soak.py --seconds 20 --kill-every 5      # a short run
    .venv/bin/python bench/soak.py --url http://127.0.0.1:8000 --token KEY ...      # a server already running

By default it starts `make serve` itself on --port, with persistent connections
(DATABASE_CONN_MAX_AGE=60), throttling lifted and the per-request log at WARNING. A server given with
--url must have its throttle rates lifted (API_THROTTLE_ANON, API_THROTTLE_USER) and run on the
database of DATABASE_URL.
"""

import argparse
import ipaddress
import json
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
READS = ["/api/articles/", "/api/quotes/", "/api/visits/", "/api/experts/?search=an", "/api/outlets/", "/api/"]


def loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass
class Result:
    kind: str
    status: int  # 0: no HTTP answer (connection refused or reset)
    started: float
    ended: float


@dataclass
class Written:
    """What the server acknowledged about one record: its last state, or its deletion."""

    pk: int
    slug: str
    role: str = ""
    version: int = 1
    deleted: bool = False


@dataclass
class Run:
    url: str
    token: str
    results: list[Result] = field(default_factory=list)
    written: dict[int, Written] = field(default_factory=dict)
    kills: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def call(self, method: str, path: str, body: dict | None = None, headers: dict | None = None):
        request = urllib.request.Request(self.url + path, method=method)
        request.add_header("Authorization", f"Token {self.token}")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        if body is not None:
            request.data = json.dumps(body).encode()
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                payload = response.read()
                return response.status, response.headers, json.loads(payload) if payload else None
        except urllib.error.HTTPError as error:
            return error.code, error.headers, None
        except (OSError, ValueError):
            return 0, {}, None

    def timed(self, kind: str, method: str, path: str, body: dict | None = None, headers: dict | None = None):
        started = time.monotonic()
        status, answer_headers, payload = self.call(method, path, body, headers)
        with self.lock:
            self.results.append(Result(kind, status, started, time.monotonic()))
        return status, answer_headers, payload


def client(run: Run, number: int, deadline: float) -> None:
    """Reads (most requests), creates, updates with If-Match and deletes of the thread's own experts."""
    rng = random.Random(number)
    own: list[Written] = []
    sequence = 0
    while time.monotonic() < deadline:
        roll = rng.random()
        if roll < 0.6 or not own and roll < 0.75:
            run.timed("read", "GET", rng.choice(READS))
        elif roll < 0.75 or not own:
            sequence += 1
            slug = f"soak-{os.getpid()}-{number}-{sequence}"
            status, _, payload = run.timed(
                "create", "POST", "/api/experts/", {"name": slug, "slug": slug, "kind": "other"}
            )
            if status == 201:
                record = Written(payload["id"], slug, payload["role"], payload["version"])
                own.append(record)
                with run.lock:
                    run.written[record.pk] = record
        elif roll < 0.95:
            record = rng.choice(own)
            role = f"role {sequence}-{rng.randrange(10**6)}"
            sequence += 1
            status, _, payload = run.timed(
                "update", "PATCH", f"/api/experts/{record.pk}/", {"role": role}, {"If-Match": f'"{record.version}"'}
            )
            if status == 200:
                record.role, record.version = payload["role"], payload["version"]
        else:
            record = own.pop(rng.randrange(len(own)))
            status, _, _ = run.timed(
                "delete", "DELETE", f"/api/experts/{record.pk}/", None, {"If-Match": f'"{record.version}"'}
            )
            if status == 204:
                record.deleted = True


def killer(run: Run, database_url: str, every: float, deadline: float) -> None:
    """Terminate every other connection to the database (the server's) every `every` seconds."""
    with psycopg2.connect(database_url) as connection:
        connection.autocommit = True
        while time.monotonic() + every < deadline:
            time.sleep(every)
            with connection.cursor() as cursor:
                killed_at = time.monotonic()
                cursor.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
                )
                with run.lock:
                    run.kills.append(killed_at)
                print(f"  killed {cursor.fetchone()[0]} database connections", flush=True)


def verify(run: Run) -> tuple[int, list[str]]:
    """Read back every acknowledged write: (records checked, what is missing or different)."""
    problems = []
    for record in run.written.values():
        status, _, payload = run.call("GET", f"/api/experts/{record.pk}/")
        if record.deleted:
            if status != 404:
                problems.append(f"expert {record.pk} was deleted (204) but answers {status}")
        elif status != 200:
            problems.append(f"expert {record.pk} ({record.slug}) was acknowledged but answers {status}")
        elif (payload["slug"], payload["role"], payload["version"]) != (record.slug, record.role, record.version):
            problems.append(
                f"expert {record.pk}: {payload['role']!r} v{payload['version']}, "
                f"acknowledged {record.role!r} v{record.version}"
            )
    return len(run.written), problems


def report(run: Run, seconds: float) -> int:
    """Print the figures; the number of errors (5xx not excused by a kill, or no answer at all)."""
    excused, errors = 0, 0
    for result in run.results:
        if result.status == 0 or result.status >= 500:
            in_flight = any(result.started <= kill <= result.ended for kill in run.kills)
            if result.status >= 500 and in_flight:
                excused += 1
            else:
                errors += 1
    latencies = sorted((r.ended - r.started) * 1000 for r in run.results if r.status and r.status < 500)
    by_status: dict[int, int] = {}
    for result in run.results:
        by_status[result.status] = by_status.get(result.status, 0) + 1
    kinds = {kind: sum(1 for r in run.results if r.kind == kind) for kind in ("read", "create", "update", "delete")}
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    print(f"requests      {len(run.results)} in {seconds:.0f} s ({len(run.results) / seconds:.0f}/s): {kinds}")
    print(f"statuses      {dict(sorted(by_status.items()))}")
    print(
        f"latency       p50 {quantiles[49]:.1f} ms, p99 {quantiles[98]:.1f} ms, "
        f"max {latencies[-1] if latencies else 0:.1f} ms"
    )
    print(f"kills         {len(run.kills)}; 5xx in flight on a killed connection: {excused}")
    print(f"errors        {errors} (5xx otherwise, or no answer)")
    return errors


def start_server(port: int, database_url: str, workers: int) -> subprocess.Popen:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "API_", "CACHE_URL", "REDIS_URL"))
    }
    env.update(
        DATABASE_URL=database_url,
        DATABASE_CONN_MAX_AGE="60",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_REQUEST_LOG_LEVEL="WARNING",
        API_THROTTLE_ANON="100000000/hour",
        API_THROTTLE_USER="100000000/hour",
        WEB_CONCURRENCY=str(workers),
    )
    log = Path(tempfile.mkdtemp(prefix="soak-")) / "serve.log"
    print(f"make serve's output: {log}", flush=True)
    process = subprocess.Popen(
        ["make", "--no-print-directory", "serve", "HOST=127.0.0.1", f"PORT={port}"],
        stdout=(output := log.open("w")),
        stderr=output,
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"make serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    stop_server(process)
    sys.exit("make serve did not become ready within two minutes")


def stop_server(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def soak_token(database_url: str) -> str:
    """The API token of a superuser `soak`, created if needed, through manage.py on that database."""
    code = (
        "from django.contrib.auth import get_user_model; from rest_framework.authtoken.models import Token; "
        "u, _ = get_user_model().objects.get_or_create("
        "username='soak', defaults={'is_superuser': True, 'is_staff': True}); "
        "print(Token.objects.get_or_create(user=u)[0].key)"
    )
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_ENV_FILE": "", "DJANGO_SECRET_KEY": "soak"}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=150, help="how long clients send requests (default 150)")
    parser.add_argument("--clients", type=int, default=4, help="client threads (default 4)")
    parser.add_argument("--kill-every", type=float, default=10, help="seconds between connection kills (default 10)")
    parser.add_argument("--port", type=int, default=8850, help="port of the server this starts (default 8850)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers of the server this starts (default 3)")
    parser.add_argument("--url", help="a server already running (loopback only) instead of starting one")
    parser.add_argument("--token", help="with --url: the token of a user allowed to write experts")
    options = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL", "")
    database = urlsplit(database_url)
    if database.scheme not in ("postgres", "postgresql") or not loopback(database.hostname or ""):
        sys.exit("DATABASE_URL must name a PostgreSQL database on this machine (127.0.0.1, localhost or ::1).")
    if options.url and not loopback(urlsplit(options.url).hostname or ""):
        sys.exit("--url must be a loopback address: this soak sends traffic to this machine only.")

    server = None
    if not options.url:
        print(f"starting make serve on 127.0.0.1:{options.port} ({options.workers} workers) ...", flush=True)
        server = start_server(options.port, database_url, options.workers)
    try:
        run = Run(options.url or f"http://127.0.0.1:{options.port}", options.token or soak_token(database_url))
        deadline = time.monotonic() + options.seconds
        threads = [threading.Thread(target=client, args=(run, n, deadline)) for n in range(options.clients)]
        threads.append(threading.Thread(target=killer, args=(run, database_url, options.kill_every, deadline)))
        print(
            f"{options.clients} clients for {options.seconds:.0f} s, "
            f"killing connections every {options.kill_every:.0f} s",
            flush=True,
        )
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        errors = report(run, time.monotonic() - started)
        checked, problems = verify(run)
        print(f"writes        {checked} records read back; {len(problems)} missing or different")
        for problem in problems[:20]:
            print("  " + problem)
        return 1 if errors or problems else 0
    finally:
        if server is not None:
            stop_server(server)


if __name__ == "__main__":
    sys.exit(main())
