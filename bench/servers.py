"""Starting and stopping the servers under test, one at a time so they never share the CPU.

Each system runs as it would in production: the corpus as `make serve` runs it (gunicorn with
config/gunicorn.py, debug off, a secret key from the environment), plain DRF and the floor under the
same gunicorn configuration and worker count, Datasette with its own server (one process; that is
how it is served).
"""

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LOGS = ROOT / "bench" / "data" / "logs"


def workers() -> int:
    """One worker per core this process may use, as the benchmark brief asks."""
    return len(os.sched_getaffinity(0))


def gunicorn(app: str, port: int) -> list[str]:
    return [str(BIN / "gunicorn"), "--config", "config/gunicorn.py", "--bind", f"127.0.0.1:{port}", app]


def wait_until_up(url: str, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited ({process.returncode}) before answering; see {log}")
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                if 200 <= response.status < 300:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer 2xx within {seconds:.0f} s; see {log}")


@contextmanager
def serving(name: str, command: list[str], *, env: dict[str, str], ready_url: str):
    """Run `command` until the block ends; its output goes to bench/data/logs/<name>.log."""
    LOGS.mkdir(parents=True, exist_ok=True)
    log = LOGS / f"{name}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)  # fmt: skip
    try:
        wait_until_up(ready_url, process, log)
        yield
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
