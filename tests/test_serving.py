"""`make serve` for real: gunicorn with two workers on a free port, debug off, on the test database.

One server for the module (starting it is most of the module's time). Its requests come from this
process over loopback; its JSON log lines land in a file the tests read. A test can direct requests
to each of the two workers in turn (`each_worker`): a sync worker serves one connection at a time, so
while one holds a request that has not finished arriving, the other serves everything else.
"""

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.core.cache.backends.filebased import FileBasedCache
from django.db import connection

from tests.test_settings import ROOT

SERVER_APPLICATION_NAME = "corpus-test-serving"  # the server's database connections, in pg_stat_activity
ANON_RATE = 10  # per minute, for the throttling test; every other test starts with a fresh budget


@dataclass
class Served:
    url: str
    port: int
    stdout: Path
    cache: FileBasedCache

    def get(self, path: str, **headers) -> tuple[int, dict, bytes]:
        request = urllib.request.Request(self.url + path, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def start_request(self, path: str) -> socket.socket:
        """A request whose headers are not finished: the worker that accepts it waits for the rest."""
        held = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        held.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode())
        return held

    @staticmethod
    def finish_request(held: socket.socket) -> int:
        with held:
            held.sendall(b"Connection: close\r\n\r\n")
            answer = b""
            while chunk := held.recv(65536):
                answer += chunk
        return int(answer.split(b" ", 2)[1])

    def each_worker(self, path: str) -> list[int]:
        """GET `path` once on each of the two workers: [status on one, status on the other]."""
        held = self.start_request(path)
        time.sleep(0.2)  # accepted by a worker, which now waits for the rest of it
        other = self.get(path)[0]
        return [other, self.finish_request(held)]

    def log_lines(self) -> list[dict]:
        lines = [json.loads(line) for line in self.stdout.read_text().splitlines() if line.startswith("{")]
        return [line for line in lines if line["logger"] == "corpus.requests"]


def database_url(settings_dict: dict, application_name: str = "") -> str:
    """A dj-database-url URL for the database `settings_dict` (the test database) describes.

    On PostgreSQL, `application_name` names the connections made through it in pg_stat_activity.
    """
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    query = f"?application_name={application_name}" if application_name else ""
    user = quote(settings_dict["USER"] or "") + (
        f":{quote(settings_dict['PASSWORD'])}" if settings_dict["PASSWORD"] else ""
    )
    return f"postgres://{user}@{settings_dict['HOST']}:{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}{query}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, stderr: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"make serve exited with {process.returncode}:\n{stderr.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"make serve did not answer within a minute:\n{stderr.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def server(django_db_setup, tmp_path_factory):
    """`make serve` on the test database: production settings, but plain HTTP (no TLS proxy in front)."""
    directory = tmp_path_factory.mktemp("serve")
    port = free_port()
    settings_variables = ("DJANGO_", "DATABASE_", "CACHE_URL", "REDIS_URL", "API_", "WEB_CONCURRENCY")
    env = {name: value for name, value in os.environ.items() if not name.startswith(settings_variables)}
    env.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database_url(connection.settings_dict, application_name=SERVER_APPLICATION_NAME),
        DATABASE_CONN_MAX_AGE="60",
        DJANGO_STATIC_ROOT=str(directory / "static"),
        CACHE_URL=f"file://{directory / 'cache'}",
        WEB_CONCURRENCY="2",
        API_THROTTLE_ANON=f"{ANON_RATE}/minute",
    )
    stdout, stderr = directory / "stdout.log", directory / "stderr.log"
    with stdout.open("w") as out, stderr.open("w") as err:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "serve", "HOST=127.0.0.1", f"PORT={port}"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=err,
            start_new_session=True,  # make, gunicorn and its workers in a process group of their own
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process, stderr)
        yield Served(url, port, stdout, FileBasedCache(str(directory / "cache"), {}))
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def served(server):
    """The server, with a fresh throttle budget for this test's requests."""
    server.cache.clear()
    return server


def test_make_serve_answers_the_api_and_static_files_with_debug_off(served):
    status, headers, body = served.get("/api/")
    assert status == 200 and headers["Content-Type"] == "application/json"
    assert json.loads(body)["experts"] == f"{served.url}/api/experts/"

    # The admin's pages name each static file by the hash collectstatic gave it; WhiteNoise serves it
    # compressed and cacheable for ever.
    status, _, login_page = served.get("/admin/login/")
    assert status == 200
    stylesheet = re.search(rb"/static/admin/css/base\.[0-9a-f]{12}\.css", login_page)
    assert stylesheet, login_page[:2000]
    status, headers, css = served.get(stylesheet[0].decode(), **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Type"].startswith("text/css")
    assert headers["Content-Encoding"] == "gzip" and "immutable" in headers["Cache-Control"]

    # Swagger UI's page and its script, which the API documentation needs.
    status, _, docs = served.get("/api/docs/")
    assert status == 200
    script = re.search(rb"/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle\.[0-9a-f]{12}\.js", docs)
    assert script and served.get(script[0].decode())[0] == 200

    status, _, not_found = served.get("/no-such-page/")
    assert status == 404 and b"URLconf" not in not_found  # not the debug page


def test_health_endpoints_over_http(served):
    assert served.get("/healthz")[0] == 200
    status, _, body = served.get("/readyz")
    assert status == 200
    assert json.loads(body) == {"status": "ready", "checks": {"database": "ok", "cache": "ok", "migrations": "ok"}}


def test_each_request_is_one_json_line_on_the_servers_standard_output(served):
    served.get("/api/outlets/?search=private")
    line = served.log_lines()[-1]
    assert {key: line[key] for key in ("level", "method", "path", "status", "user", "remote_addr")} == {
        "level": "INFO",
        "method": "GET",
        "path": "/api/outlets/",
        "status": 200,
        "user": "anonymous",
        "remote_addr": "127.0.0.1",
    }
    assert line["duration_ms"] > 0 and "private" not in served.stdout.read_text()


def test_the_two_workers_share_one_throttle_budget(served):
    """One worker serves the whole budget; the other, which has counted nothing itself, still refuses."""
    held = served.start_request("/api/outlets/")
    time.sleep(0.2)
    assert [served.get("/api/outlets/")[0] for _ in range(ANON_RATE)] == [200] * ANON_RATE
    assert served.finish_request(held) == 429
    by_worker = {(line["pid"], line["status"]) for line in served.log_lines()[-ANON_RATE - 1 :]}
    assert len({pid for pid, _ in by_worker}) == 2, by_worker
    assert len(served.cache.get("throttle_anon_127.0.0.1")) == ANON_RATE  # this process sees the counts too


@pytest.mark.postgres
def test_a_persistent_connection_killed_by_the_database_is_replaced_not_a_500(served):
    """DATABASE_CONN_MAX_AGE keeps each worker's connection; after the database drops it (a restart, a
    failover, pg_terminate_backend here), the worker's next request still succeeds.

    The kill comes from a connection of its own, outside any test transaction: PostgreSQL shows a
    transaction the server processes as they were when it first looked. It kills the server's
    connections only, which carry their own application_name.
    """
    assert served.each_worker("/api/experts/") == [200, 200]
    with psycopg2.connect(database_url(connection.settings_dict)) as other, other.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name = %s",
            [SERVER_APPLICATION_NAME],
        )
        assert [row[0] for row in cursor.fetchall()] == [True, True]  # one persistent connection per worker
    other.close()
    assert served.each_worker("/api/experts/") == [200, 200]
