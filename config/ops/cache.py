"""The cache, chosen from the environment: where DRF's throttles keep their counts.

Throttle counts must be shared by every worker process, or each of gunicorn's workers grants its own
budget, and must not ride on the request's database transaction: a database cache on the request's
connection would roll the count back with every failed request (a client could retry failures for
free) and queue concurrent requests behind the locked row. Hence:

- no variable: Django's FileBasedCache in `var/cache/` of the project, which needs nothing installed
  and is shared by all the processes of one machine;
- CACHE_URL (or, failing that, REDIS_URL, the name hosting platforms give it) `redis://`,
  `rediss://` or `unix://`: Django's RedisCache, shared by several machines;
- CACHE_URL `file:///some/directory`: FileBasedCache there;
- CACHE_URL `locmem://`: one process's memory. Counts are then per process; for a single process
  only (a test, a script), never for gunicorn's several workers.
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

REDIS_SCHEMES = {"redis", "rediss", "unix"}


def cache_from_env(default_directory: Path) -> dict:
    """The CACHES["default"] entry the environment asks for (FileBasedCache in `default_directory` if none)."""
    url = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL")
    if not url:
        return file_cache(default_directory)
    scheme = urlsplit(url).scheme
    if scheme in REDIS_SCHEMES:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "file":
        path = unquote(urlsplit(url).path)
        if not path.startswith("/"):
            raise ImproperlyConfigured("CACHE_URL file:// needs an absolute directory: file:///var/cache/corpus.")
        return file_cache(Path(path))
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    # Not the URL in the message: it may carry a password.
    raise ImproperlyConfigured(f"CACHE_URL scheme {scheme!r} is not one of redis, rediss, unix, file, locmem.")


def file_cache(directory: Path) -> dict:
    return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(directory)}


FACET_ENTRIES = 20_000  # counted facets kept at most in a file or memory cache of their own


def facets_cache(default: dict) -> dict:
    """CACHES["facets"] (corpus_app/api/facet_cache.py): beside the throttle counts, never among them.

    A file or memory cache culls its oldest entries when full (300 by default): facets sharing the
    throttles' cache let any client, by asking varied facets, evict the counts that rate-limit it. So
    facets get a directory (or memory) of their own and room for more. On Redis both share the server,
    apart by key prefix; facet keys expire within API_FACETS_CACHE_SECONDS.
    """
    backend = default["BACKEND"]
    if backend.endswith("FileBasedCache"):
        location = str(Path(default["LOCATION"]) / "facets")
        return {"BACKEND": backend, "LOCATION": location, "OPTIONS": {"MAX_ENTRIES": FACET_ENTRIES}}
    if backend.endswith("LocMemCache"):
        return {"BACKEND": backend, "LOCATION": "facets", "OPTIONS": {"MAX_ENTRIES": FACET_ENTRIES}}
    return {**default, "KEY_PREFIX": "facets"}
