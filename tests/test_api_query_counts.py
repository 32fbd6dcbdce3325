"""The exact number of SQL statements of every read: related rows come in fixed batches, never one query per row.

Counted on the sample corpus (tests.factories.sample_corpus), where every list has several rows and
each row has related rows, so a missing select_related/prefetch_related changes the number. A list
runs the same number at page_size 1 and 500. The counts include the savepoint and its release that
ATOMIC_REQUESTS wraps around every request, the change stamp that conditional GET reads first
(corpus_app/api/conditional.py) and, on PostgreSQL, the statement that bounds the request's
transaction (corpus_app/api/transaction_bounds.py).

A change to a listing queryset or serializer that adds or saves a query should update this table.
"""

import pytest
from django.db import connection
from django.urls import reverse

pytestmark = pytest.mark.django_db

# route name, record of the sample corpus it is about (None: a list), SQL statements
QUERIES = [
    # lists: savepoint, change stamp, page, [prefetches], release (no COUNT: only ?count=true asks for one)
    ("article-list", None, 5),  # + visits
    ("visit-list", None, 7),  # + cities, articles, participants with their person
    ("visitparticipant-list", None, 4),
    ("expert-list", None, 4),
    ("quote-list", None, 4),
    ("outlet-list", None, 4),
    ("city-list", None, 4),
    # details: savepoint, change stamp, row, [prefetches], release
    ("article-detail", "article", 5),  # + visits
    ("visit-detail", "visit", 7),  # + cities, articles, participants with their person
    ("visitparticipant-detail", "visitparticipant", 4),
    ("expert-detail", "expert", 4),
    ("quote-detail", "quote", 4),
    ("outlet-detail", "outlet", 4),
    ("city-detail", "city", 4),
    # related lists: savepoint, change stamp, the record's existence (its 404), page, [prefetches], release
    ("expert-quotes", "expert", 5),
    ("visit-articles", "visit", 6),  # + visits of each article
    ("visit-quotes", "visit", 5),
    ("article-quotes", "article", 5),
]


def bounds() -> int:
    """The statements bounding each request's transaction: one on PostgreSQL, none on SQLite."""
    return 1 if connection.vendor == "postgresql" else 0


def is_list(route: str) -> bool:
    return not route.endswith("-detail")


@pytest.mark.parametrize("route, record, queries", QUERIES, ids=[route for route, _, _ in QUERIES])
def test_exact_number_of_queries(api_client, sample_corpus, count_queries, route, record, queries):
    """Each read runs exactly this many SQL statements, whether a page holds one row or all of them."""
    url = reverse(route, args=[getattr(sample_corpus, record).pk]) if record else reverse(route)
    queries += bounds()
    if not is_list(route):
        assert count_queries(lambda: api_client.get(url)) == queries
        return
    for page_size in (1, 500):
        response = api_client.get(url, {"page_size": page_size})
        assert len(response.json()["results"]) >= 2 or page_size == 1, "too few rows to tell one query per row"
        assert count_queries(lambda page_size=page_size: api_client.get(url, {"page_size": page_size})) == queries, (
            f"page_size={page_size}"
        )


@pytest.mark.parametrize("route, record, queries", [q for q in QUERIES if is_list(q[0])], ids=lambda v: str(v))
def test_a_deep_page_costs_what_the_first_does(api_client, sample_corpus, count_queries, route, record, queries):
    """A page reached through `next` runs the first page's statements (a keyset, no OFFSET); ?count=true adds one."""
    url = reverse(route, args=[getattr(sample_corpus, record).pk]) if record else reverse(route)
    queries += bounds()
    link = api_client.get(url, {"page_size": 1}).json()["next"]  # a page after a cursor: its key, no OFFSET
    assert link, "too few rows for a second page"
    assert count_queries(lambda: api_client.get(link)) == queries
    assert count_queries(lambda: api_client.get(link + "&count=true")) == queries + 1


@pytest.mark.parametrize("route", [route for route, record, _ in QUERIES if record is None])
def test_browsable_api_pages_render(client, curator, sample_corpus, route):
    """Every list renders as the browsable API's HTML page for a logged-in curator."""
    client.force_login(curator)
    response = client.get(reverse(route), HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"<html" in response.content
