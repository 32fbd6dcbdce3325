"""Facet counts kept in the cache under the corpus's change stamp, so that a question asked again is not
counted again.

A corpus is read far more than it is written: the same drill-down (`/api/quotes/?facet=speaker,outlet`,
a newsroom's dashboard) is asked by every reader, and each asking grouped half a million quotes. Any
write moves the change stamp (corpus_app/changes.py), which every key holds, so an entry is never
read after the corpus changed: no invalidation to get wrong, and old entries simply expire. The key
is the list's path (a related list's owner is in it), the facet, and the parameters that select rows
(the filters and `search`; not paging, ordering or shape). Only the counted rows are kept: labels
and links are made for each request. A cache that fails is a miss, never an error. The cache is
CACHES["facets"], apart from the throttles' counts (config/ops/cache.py says why).

The stamp moves just after a write commits (changes.py): in that instant a reader may still read the
old stamp, and count, or be given, the rows as they were a moment before, as it may for an ETag.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import caches

logger = logging.getLogger(__name__)

# What does not change which rows a facet counts.
NOT_SELECTING = frozenset({"cursor", "page_size", "ordering", "fields", "expand", "format", "count", "facet"})


def cache_key(stamp: str, path: str, facet_name: str, query_params) -> str:
    selecting = sorted((name, sorted(values)) for name, values in query_params.lists() if name not in NOT_SELECTING)
    digest = hashlib.blake2b(f"{path}\n{facet_name}\n{selecting!r}".encode(), digest_size=16).hexdigest()
    return f"facets:{stamp}:{digest}"


def cached(key: str):
    if not settings.API_FACETS_CACHE_SECONDS:
        return None
    try:
        return caches["facets"].get(key)
    except Exception:  # a cache server down: count, as without a cache
        logger.warning("facet cache unreadable", exc_info=True)
        return None


def keep(key: str, counted: list) -> None:
    if not settings.API_FACETS_CACHE_SECONDS:
        return
    try:
        caches["facets"].set(key, counted, settings.API_FACETS_CACHE_SECONDS)
    except Exception:
        logger.warning("facet cache unwritable", exc_info=True)
