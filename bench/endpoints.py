"""What is measured: each endpoint as each system spells it, and how to reach a deep page.

An endpoint is one question a user asks ("quotes by speaker") with its URL on every system that can
answer it; None where a system has no equivalent (Datasette cannot filter quotes by their article's
date without SQL, the floor serves quotes and articles only). The sample ids come from the data
(bench/dataset.py), so every system is asked about the same rows.

Deep pages are reached the way a client would, whatever the API's pagination: if `next` asks for
`page=2`, the page is asked by number; otherwise (a cursor, a keyset token, Datasette's `_next`)
`next` links are followed, 500 rows a hop and then 50, to the first row of the wanted page.
"""

import json
import re
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

DEEP_PAGE = 1000
PER_PAGE = 50
HOP = 500
SEARCH = "Baku logistics"  # two words of the generator's vocabulary (corpus_app/archive/vocabulary.py)
# /api/search/ is asked, besides a rare word and a name taken from the data (dataset.samples), a word
# most records hold and a phrase whose two words most records hold but rarely side by side.
COMMON_WORD = "security"
PHRASE = '"strategic partnership"'

# "search" is a list's ?search=; "ranked", /api/search/; "mix", several GETs sent in turn.
KINDS = ("list", "deep", "detail", "filter", "search", "ranked", "mix", "csv", "facet", "write")
READS = ("list", "deep", "detail", "filter", "search", "ranked", "csv", "facet")  # those whose URL is one GET


@dataclass
class Endpoint:
    name: str
    kind: str  # one of KINDS
    urls: dict[str, str | None]  # system -> path and query (or, for "deep", the first page to start from)
    write: dict = field(default_factory=dict)  # for writes: what load.write_data takes, per system
    cycle: dict[str, list[str]] = field(default_factory=dict)  # for a mix: the paths sent in turn, per system


def q(path: str, **params) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def deep_page(s: dict) -> int:
    """The 1,000th page of 50 quotes, or on a small corpus (the smoke run's) one near its end."""
    return max(2, min(DEEP_PAGE, s["quotes"] // PER_PAGE * 9 // 10))


def searches(s: dict) -> list[Endpoint]:
    """/api/search/ (the corpus alone has it): each of four kinds of search, then the four in turn."""
    asked = [("a rare word", s["city_name"]), ("a common word", COMMON_WORD), ("a phrase", PHRASE),
             ("a name", s["speaker_name"])]  # fmt: skip
    rows = [Endpoint(f"search: {what}", "ranked", {"corpus": q("/api/search/", q=text)}) for what, text in asked]
    mix = Endpoint("search: the four in turn", "mix", {"corpus": "/api/search/ (rare, common, phrase, name)"},
                   cycle={"corpus": [row.urls["corpus"] for row in rows]})  # fmt: skip
    return [*rows, mix]


def table(s: dict) -> list[Endpoint]:
    """Every endpoint, for the samples `s` of bench/dataset.samples()."""
    ds = "/corpus/corpus_app_{}.json"

    def through(table_, column, value):
        return json.dumps({"table": table_, "column": column, "value": str(value)})

    published = {"published_after": s["published_after"], "published_before": s["published_before"]}
    plain_published = {"published_date__gte": s["published_after"], "published_date__lte": s["published_before"]}
    return [
        Endpoint("quotes: first page", "list", {
            "corpus": "/api/quotes/", "plain_drf": "/quotes/", "floor": "/quotes/",
            "datasette": q(ds.format("quote"), _size=50, _labels="on")}),
        Endpoint(f"quotes: page {deep_page(s)}", "deep", {
            "corpus": "/api/quotes/", "plain_drf": "/quotes/", "floor": "/quotes/",
            "datasette": q(ds.format("quote"), _size=50, _labels="on")}),
        Endpoint("quotes: detail", "detail", {
            "corpus": f"/api/quotes/{s['quote']}/", "plain_drf": f"/quotes/{s['quote']}/",
            "floor": f"/quotes/{s['quote']}/", "datasette": f"/corpus/corpus_app_quote/{s['quote']}.json?_labels=on"}),
        Endpoint("quotes by speaker", "filter", {
            "corpus": q("/api/quotes/", speaker=s["speaker"]), "plain_drf": q("/quotes/", speaker=s["speaker"]),
            "floor": q("/quotes/", speaker=s["speaker"]),
            "datasette": q(ds.format("quote"), speaker_id=s["speaker"], _size=50, _labels="on")}),
        Endpoint("quotes by visit", "filter", {
            "corpus": q("/api/quotes/", visit=s["quote_visit"]), "plain_drf": q("/quotes/", visit=s["quote_visit"]),
            "floor": q("/quotes/", visit=s["quote_visit"]),
            "datasette": q(ds.format("quote"), visit_id=s["quote_visit"], _size=50, _labels="on")}),
        Endpoint("quotes by article", "filter", {
            "corpus": q("/api/quotes/", article=s["quote_article"]),
            "plain_drf": q("/quotes/", article=s["quote_article"]), "floor": q("/quotes/", article=s["quote_article"]),
            "datasette": q(ds.format("quote"), article_id=s["quote_article"], _size=50, _labels="on")}),
        Endpoint("quotes by published range", "filter", {
            "corpus": q("/api/quotes/", **published), "floor": q("/quotes/", **published),
            "plain_drf": q("/quotes/", **{f"article__{k}": v for k, v in plain_published.items()}),
            "datasette": None}),
        Endpoint("quotes by kind", "filter", {
            "corpus": q("/api/quotes/", kind="paraphrase"), "plain_drf": q("/quotes/", kind="paraphrase"),
            "floor": q("/quotes/", kind="paraphrase"),
            "datasette": q(ds.format("quote"), kind="paraphrase", _size=50, _labels="on")}),
        Endpoint("articles: first page", "list", {
            "corpus": "/api/articles/", "plain_drf": "/articles/", "floor": "/articles/",
            "datasette": q(ds.format("article"), _size=50, _labels="on")}),
        Endpoint("articles: detail", "detail", {
            "corpus": f"/api/articles/{s['article']}/", "plain_drf": f"/articles/{s['article']}/",
            "floor": f"/articles/{s['article']}/",
            "datasette": f"/corpus/corpus_app_article/{s['article']}.json?_labels=on"}),
        Endpoint("articles by outlet", "filter", {
            "corpus": q("/api/articles/", outlet=s["outlet"]), "plain_drf": q("/articles/", outlet=s["outlet"]),
            "floor": q("/articles/", outlet=s["outlet"]),
            "datasette": q(ds.format("article"), outlet_id=s["outlet"], _size=50, _labels="on")}),
        Endpoint("articles by visit", "filter", {
            "corpus": q("/api/articles/", visit=s["article_visit"]),
            "plain_drf": q("/articles/", visits=s["article_visit"]), "floor": q("/articles/", visit=s["article_visit"]),
            "datasette": q(ds.format("article"), _size=50, _labels="on",
                           _through=through("corpus_app_article_visits", "visit_id", s["article_visit"]))}),
        Endpoint("articles by expert", "filter", {
            "corpus": q("/api/articles/", expert=s["speaker"]),
            "plain_drf": q("/articles/", quotes__speaker=s["speaker"]), "floor": q("/articles/", expert=s["speaker"]),
            "datasette": None}),
        Endpoint("articles by published range", "filter", {
            "corpus": q("/api/articles/", **published), "plain_drf": q("/articles/", **plain_published),
            "floor": q("/articles/", **published),
            "datasette": q(ds.format("article"), **plain_published, _size=50, _labels="on")}),
        Endpoint("visits by participant", "filter", {
            "corpus": q("/api/visits/", participant=s["participant"]),
            "plain_drf": q("/visits/", participants=s["participant"]), "floor": None,
            "datasette": q(ds.format("visit"), _size=50,
                           _through=through("corpus_app_visitparticipant", "person_id", s["participant"]))}),
        Endpoint("visits by date", "filter", {
            "corpus": q("/api/visits/", date_after=s["visit_after"], date_before=s["visit_before"]),
            "plain_drf": q("/visits/", start_date__gte=s["visit_after"], start_date__lte=s["visit_before"]),
            "floor": None,
            "datasette": q(ds.format("visit"), start_date__gte=s["visit_after"], start_date__lte=s["visit_before"],
                           _size=50)}),
        Endpoint("experts by kind", "filter", {
            "corpus": q("/api/experts/", kind=s["expert_kind"]), "plain_drf": q("/experts/", kind=s["expert_kind"]),
            "floor": None, "datasette": q(ds.format("expert"), kind=s["expert_kind"], _size=50)}),
        Endpoint("articles: search two words", "search", {
            "corpus": q("/api/articles/", search=SEARCH), "plain_drf": q("/articles/", search=SEARCH),
            "floor": None, "datasette": None}),
        Endpoint("quotes: search two words", "search", {
            "corpus": q("/api/quotes/", search=SEARCH), "plain_drf": q("/quotes/", search=SEARCH),
            "floor": None, "datasette": None}),
        *searches(s),
        # Research queries (facets, counts over time, sync): the corpus alone answers them in one request.
        Endpoint("articles: facets outlet, visit, expert, month", "facet", {
            "corpus": q("/api/articles/", facet="outlet,visit,expert,month", page_size=1)}),
        Endpoint("articles by outlet: facets visit, month", "facet", {
            "corpus": q("/api/articles/", outlet=s["outlet"], facet="visit,month", page_size=1)}),
        # A search most articles match: each facet reads every matching row's text vector (README, Facets).
        Endpoint("articles searched: facets outlet, visit, expert, month", "facet", {
            "corpus": q("/api/articles/", search=SEARCH, facet="outlet,visit,expert,month", page_size=1)}),
        Endpoint("quotes: facets speaker, outlet, month", "facet", {
            "corpus": q("/api/quotes/", facet="speaker,outlet,month", page_size=1)}),
        Endpoint("quotes by visit: facets speaker, outlet, month", "facet", {
            "corpus": q("/api/quotes/", visit=s["quote_visit"], facet="speaker,outlet,month", page_size=1)}),
        Endpoint("timeline: quotes by month", "facet", {"corpus": q("/api/stats/timeline/", by="month")}),
        Endpoint("timeline: a speaker's quotes by month", "facet", {
            "corpus": q("/api/stats/timeline/", by="month", speaker=s["speaker"])}),
        Endpoint("deletions since 1970", "facet", {"corpus": q("/api/deletions/", since="1970-01-01T00:00:00Z")}),
        Endpoint("quotes: CSV, 500 a page", "csv", {
            "corpus": q("/api/quotes/", format="csv", page_size=500), "plain_drf": None, "floor": None,
            "datasette": q("/corpus/corpus_app_quote.csv", _size=500, _labels="on")}),
        Endpoint("expert: PATCH role", "write", {
            "corpus": "/api/experts/", "plain_drf": "/experts/", "floor": None, "datasette": None}),
        Endpoint("quote: POST + DELETE", "write", {
            "corpus": "/api/quotes/", "plain_drf": None, "floor": None, "datasette": None}),
    ]  # fmt: skip


def get(url: str) -> tuple[dict, dict]:
    with urllib.request.urlopen(url, timeout=120) as response:
        return json.loads(response.read()), dict(response.headers)


def next_link(body, headers: dict) -> str | None:
    """The next page's URL, wherever this API puts it: `next`, Datasette's `next_url`, or a Link header."""
    if isinstance(body, dict):
        for key in ("next", "next_url"):
            if isinstance(body.get(key), str) and "/" in body[key]:
                return body[key]
        if isinstance(body.get("links"), dict) and body["links"].get("next"):
            return body["links"]["next"]
    match = re.search(r'<([^>]+)>\s*;\s*rel="?next"?', headers.get("Link", ""))
    return match and match[1]


def with_params(url: str, **params) -> str:
    parts = urlsplit(url)
    query = {name: values[-1] for name, values in parse_qs(parts.query, keep_blank_values=True).items()}
    return urlunsplit(parts._replace(query=urlencode({**query, **params})))


def deep_url(first: str, size: str, page: int) -> str:
    """The URL of page `page` (of PER_PAGE rows) of the list at `first`, found as a client would;
    `size` is the API's page-size parameter."""
    following = next_link(*get(with_params(first, **{size: PER_PAGE})))
    if following is None:
        raise RuntimeError(f"{first}: no next page to follow")
    if parse_qs(urlsplit(following).query).get("page") == ["2"]:
        return with_params(following, page=page)
    skip, offset, url = (page - 1) * PER_PAGE, 0, with_params(first, **{size: HOP})
    while offset < skip:
        step = HOP if offset + HOP <= skip else PER_PAGE
        url = next_link(*get(with_params(url, **{size: step})))
        if url is None:
            raise RuntimeError(f"{first}: the list ends before page {page}")
        offset += step
    return with_params(url, **{size: PER_PAGE})
