"""Load generation: wrk (Debian's package) on loopback, and what it measured as a dict.

wrk keeps a fixed number of connections busy for a fixed time and reports latency percentiles from
its own histogram; bench/wrk/bench.lua adds a count of answers that are not 2xx (wrk counts only
>= 400) and prints everything as one JSON line, parsed here. Writes are described by a small Lua
data file (`write_data`), so one script serves every system.
"""

import json
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

LUA = Path(__file__).resolve().parent / "wrk" / "bench.lua"


class LoadError(Exception):
    """Something answered other than 2xx, or wrk itself failed: the run must say so, not average it in."""


@dataclass(frozen=True)
class Load:
    threads: int
    connections: int
    seconds: float


def wrk_path() -> str:
    path = shutil.which("wrk")
    if not path:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    return path


def lua_string(text: str) -> str:
    """A Lua long-bracket literal: no escaping needed for any text without its closing bracket."""
    assert "]==]" not in text
    return f"[==[{text}]==]"


def write_data(*, method: str, items: list[tuple[str, str]], headers: dict[str, str], threads: int,
               delete_prefix: str = "") -> str:  # fmt: skip
    """A Lua data file for bench.lua: `method` each (path, JSON body) item in turn (a body of "" sends
    none, as a GET); with `delete_prefix`, each created record is deleted by the next request."""
    mode = "create_delete" if delete_prefix else "cycle"
    lines = [f"BENCH = {{mode = {lua_string(mode)}, method = {lua_string(method)}, threads = {threads},",
             f"  delete_prefix = {lua_string(delete_prefix)}, headers = {{"]  # fmt: skip
    lines += [f"    [ {lua_string(name)} ] = {lua_string(value)}," for name, value in headers.items()]
    lines.append("  }, items = {")
    lines += [f"    {{path = {lua_string(path)}, body = {lua_string(body)}}}," for path, body in items]
    lines.append("}}")
    handle = tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="bench-", delete=False)  # noqa: SIM115
    with handle:
        handle.write("\n".join(lines) + "\n")
    return handle.name


def check(url: str, headers: dict[str, str] | None = None) -> bytes:
    """One request before the load: a clear error now beats a table of fast 404s."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        raise LoadError(f"GET {url} answered {error.code}: {error.read()[:300]!r}") from None


def run_wrk(url: str, load: Load, *, headers: dict[str, str] | None = None, lua_data: str = "") -> dict:
    """Hit `url` (or, with `lua_data`, the writes it describes on url's server) for load.seconds."""
    # wrk reads whole seconds alone: `--seconds 5` arrives as 5.0, and "-d5.0s" made wrk print its usage.
    duration = f"-d{max(1, round(load.seconds))}s"
    command = [wrk_path(), f"-t{load.threads}", f"-c{load.connections}", duration, "--timeout", "30s",
               "--latency", "-s", str(LUA)]  # fmt: skip
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    command.append(url)
    assert urlsplit(url).hostname in ("127.0.0.1", "localhost", "::1"), "loopback only"
    done = subprocess.run(command, capture_output=True, text=True, env={"BENCH_LUA_DATA": lua_data})
    lines = [line for line in done.stdout.splitlines() if line.startswith("BENCH_RESULT ")]
    if done.returncode or not lines:
        raise LoadError(f"wrk failed ({done.returncode}) on {url}: {done.stderr.strip() or done.stdout[-500:]}")
    found = json.loads(lines[-1].removeprefix("BENCH_RESULT "))
    if found["not_2xx"] or found["socket_errors"] or not found["requests"]:
        raise LoadError(
            f"{url}: {found['requests']} requests, {found['not_2xx']} not 2xx (first: {found['first_not_2xx']}), "
            f"{found['socket_errors']} socket errors"
        )
    return {
        "requests": found["requests"],
        "rps": found["requests"] / (found["duration_us"] / 1e6),
        "p50_ms": found["p50_us"] / 1000,
        "p99_ms": found["p99_us"] / 1000,
        "kb_per_request": found["bytes"] / found["requests"] / 1024,
    }
