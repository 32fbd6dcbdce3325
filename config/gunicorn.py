"""gunicorn's configuration for `make serve` (gunicorn --config config/gunicorn.py config.wsgi).

Environment variables:
    WEB_CONCURRENCY   worker processes (default: 2 per core plus 1, at most 12)
    GUNICORN_TIMEOUT  seconds a request may take before its worker is replaced (default: 30)

Sync workers, one request at a time each: the project's work is database queries, and each worker
keeps its own database connection (DATABASE_CONN_MAX_AGE). Put a buffering proxy (nginx, a load
balancer) in front when clients are slow or many.
"""

import os


def default_workers() -> int:
    # The cores this process may run on (a container's CPU set), not every core of the machine.
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return min(2 * cores + 1, 12)


workers = int(os.environ.get("WEB_CONCURRENCY") or default_workers())
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = 30

# The per-request JSON line of config/ops/request_log.py is the access log; gunicorn's own messages
# (workers starting, timing out) go to standard error.
accesslog = None
errorlog = "-"

# gunicorn believes X-Forwarded-Proto from 127.0.0.1 (and from anyone on a Unix socket) by default,
# and then calls the request HTTPS. Whether a proxy's word is trusted is decided in one place, the
# Django settings (DJANGO_SECURE_PROXY_SSL_HEADER, API_TRUSTED_PROXIES), so gunicorn trusts no one.
forwarded_allow_ips = ""
secure_scheme_headers = {}

# gunicorn's control socket lives at one path per user (~/.gunicorn/gunicorn.ctl), which two servers
# on one machine would share. Nothing here uses it.
control_socket_disable = True
