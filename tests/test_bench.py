"""The benchmark's own logic that a reader of its table relies on: deep pages reached the way each
pagination asks, and targets judged PASS or MISS from the numbers (make bench-smoke runs the rest)."""

import pytest

from bench import endpoints, report


@pytest.mark.parametrize(
    ("body", "headers", "expected"),
    [
        ({"next": "http://h/api/quotes/?page=2", "results": []}, {}, "http://h/api/quotes/?page=2"),
        ({"next": "http://h/api/quotes/?cursor=cD0x", "results": []}, {}, "http://h/api/quotes/?cursor=cD0x"),
        (
            {"rows": [], "next": "42", "next_url": "http://h/corpus/t.json?_next=42"},
            {},
            "http://h/corpus/t.json?_next=42",
        ),
        ([], {"Link": '<http://h/q/?page=3>; rel="next", <http://h/q/?page=1>; rel="prev"'}, "http://h/q/?page=3"),
        ({"next": None, "results": []}, {}, None),
    ],
)
def test_next_link_is_found_wherever_the_api_puts_it(body, headers, expected):
    """`next` in the body, Datasette's `next_url` (its `next` is a bare token), or an RFC 8288 Link header."""
    assert endpoints.next_link(body, headers) == expected


def test_deep_page_by_number_when_next_asks_for_page_two(monkeypatch):
    """A page-number API is asked for the page directly, not walked through."""
    asked = []

    def fake_get(url):
        asked.append(url)
        return {"next": "http://h/api/quotes/?page=2&page_size=50"}, {}

    monkeypatch.setattr(endpoints, "get", fake_get)
    url = endpoints.deep_url("http://h/api/quotes/", "page_size", 1000)
    assert "page=1000" in url and "page_size=50" in url
    assert len(asked) == 1


def test_deep_page_by_following_a_cursor_lands_on_the_wanted_row(monkeypatch):
    """A cursor API is walked 500 rows a hop, then 50, to the first row of page N."""

    def fake_get(url):
        query = dict(part.split("=") for part in url.split("?")[1].split("&"))
        offset = int(query.get("after", 0)) + int(query["page_size"])
        return {"next": f"http://h/quotes/?after={offset}&page_size={query['page_size']}"}, {}

    monkeypatch.setattr(endpoints, "get", fake_get)
    url = endpoints.deep_url("http://h/quotes/", "page_size", 1000)
    assert "after=49950" in url and "page_size=50" in url


def result(rps, p50=10.0):
    return {"rps": rps, "p50_ms": p50, "p99_ms": 2 * p50}


def test_targets_pass_or_miss_by_the_measured_ratios():
    """Each list endpoint against plain DRF (5x) and the floor (0.5x), the deep page against the first
    (1.5x its p50), the import against loaddata (10x), the search mix's p99 (100 ms), and each EXPLAIN;
    a detail has no list target."""
    run = {
        "endpoints": [
            {"name": "first", "kind": "list",
             "results": {"corpus": result(100, 20), "plain_drf": result(10), "floor": result(300)}},
            {"name": "deep", "kind": "deep",
             "results": {"corpus": result(50, 40), "plain_drf": result(25), "floor": result(60)}},
            {"name": "detail", "kind": "detail", "results": {"corpus": result(1), "plain_drf": result(100)}},
            {"name": "fast mix", "kind": "mix", "results": {"corpus": result(50, 40)}},  # p99 80 ms
            {"name": "slow mix", "kind": "mix", "results": {"corpus": result(50, 60)}},  # p99 120 ms
        ],
        "import_vs_loaddata": {"articles": 5000, "speedup": 12.5},
        "explain": [{"endpoint": "/api/quotes/", "seq_scans": []},
                    {"endpoint": "/api/articles/", "seq_scans": ["corpus_app_article"]}],
    }  # fmt: skip
    verdicts = [(t["target"].split(" ")[0], t["subject"], t["status"]) for t in report.targets(run)]
    assert verdicts == [
        ("req/s", "first", "PASS"),  # 10x plain DRF
        ("req/s", "first", "MISS"),  # a third of the floor
        ("req/s", "deep", "MISS"),  # 2x plain DRF
        ("req/s", "deep", "PASS"),  # 0.83x the floor
        ("deep", "deep", "MISS"),  # p50 40 ms against 20 ms
        ("import_corpus", "5,000 articles", "PASS"),
        ("p99", "fast mix", "PASS"),
        ("p99", "slow mix", "MISS"),
        ("p99", "every corpus endpoint", "PASS"),
        ("an", "/api/quotes/", "PASS"),
        ("an", "/api/articles/", "MISS"),
    ]
