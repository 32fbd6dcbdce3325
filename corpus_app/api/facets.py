"""`?facet=speaker,visit,month` on a list: beside the page, how the filtered list divides by each facet.

Each value comes with its label, its count under every filter of the request (search included) and a
link to the list with that value's filter applied: a facet is named after the filter its links set,
so a drill-down is "follow a link, read the new facets". Many-to-many facets (articles by visit,
visits by city or participant) count through the link table, one row per linked record, whatever
the request's own filters joined: under `?visit=3`, visit 5 counts the articles covering both, and its
link adds rather than replaces (`?visit=3&visit=5`, filters.AllOfIdsFilter), so that it lists as many.
A text value is counted whatever its case (`World`, `world`), as its filter matches it. A month
facet puts a date known only to its year in a bucket of its own ("2016, month unknown", value
`2016`), never in January, and undated records in `undated`.

Cost: one GROUP BY over the filtered rows per facet (plus one query for the labels of the values
shown), at most MAX_VALUES values each (the most frequent; months in time order), so a request's
cost grows with the rows it filters, never with the values there are; on PostgreSQL the facets of a
request share a time budget (facet_budget.py), past which a facet says it was not counted.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib import parse

from django.conf import settings
from django.db.models import Count, F, Max, Sum
from django.db.models.functions import Upper
from django_countries import countries
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.utils.urls import remove_query_param, replace_query_param

from corpus_app.api.facet_budget import NOT_COUNTED, FacetBudget
from corpus_app.api.facet_cache import cache_key, cached, keep
from corpus_app.api.filters import MAX_ALL_OF
from corpus_app.changes import current_stamp
from corpus_app.models import Article, City, Expert, Outlet, Quote, Visit, VisitParticipant
from corpus_app.models.base import is_whole_list, rows_counted
from corpus_app.models.dates import period_label, period_of

FACET_PARAM = "facet"
MAX_VALUES = 50  # values listed per facet: the most frequent
MAX_MONTHS = 600  # a month facet lists fifty years in order


@dataclass(frozen=True)
class Facet:
    """A facet: `count(rows)` gives (key, n) rows; `label(keys)` names the keys shown. `whole()`, when
    given, gives the same over the whole list from the counts kept in columns (counts.py): the list
    asked with no filter is the one asked most, and grouping half a million quotes is what costs most."""

    name: str
    count: Callable
    label: Callable[[list], dict]
    chronological: bool = False
    whole: Callable | None = None
    adds: bool = False  # its link adds its value to the filter's (a many-to-many's: all of them) rather than replacing

    @property
    def limit(self) -> int:
        return MAX_MONTHS if self.chronological else MAX_VALUES

    def counts(self, rows):
        """The query of (key, n) rows: the values to show, the most frequent, and one more if there are more.
        Months too: the busiest, so that a typo year takes no place from the months the corpus covers."""
        counts = self.whole() if self.whole is not None and is_whole_list(rows) else self.count(rows)
        return counts.order_by("-n", "key")[: self.limit + 1]

    def values(self, counted: list[dict], link: Callable[[str, object, bool], str]) -> dict:
        """The answer from the rows `counts` gave: the values shown (months in time order), labelled and linked."""
        shown, more = counted[: self.limit], len(counted) > self.limit
        if self.chronological:
            shown = sorted(shown, key=lambda row: row["key"])
        labels = self.label([row["key"] for row in shown])
        return {"values": [self._value(row, labels, link) for row in shown], "more": more, "counted": True}

    def _value(self, row, labels: dict, link) -> dict:
        key = row["key"]
        if key in (None, ""):  # no outlet, no section: no filter selects these, so no link
            return {"value": key, "label": "none", "count": row["n"], "link": None}
        label = labels.get(key, row.get("label", str(key)))
        return {"value": key, "label": label, "count": row["n"], "link": link(self.name, key, self.adds)}


# ------------------------------------------------------------------ how a facet counts
def kept_count(model, column: str) -> Callable:
    """The whole list by the records a count column counts for (an expert's quote_count: quotes by speaker)."""
    return lambda: model._base_manager.filter(**{f"{column}__gt": 0}).values(key=F("pk"), n=F(column))


def summed_count(key, column: str = "quote_count") -> Callable:
    """Every quote by something of its article (its outlet, its month): articles grouped so, their quote
    counts summed; a hundred thousand articles read rather than half a million quotes joined to them."""
    return lambda: Article._base_manager.values(key=key).annotate(n=Sum(column)).filter(n__gt=0)


def by_field(path: str) -> Callable:
    """Rows grouped by a column of theirs or of a record they point to (a quote's speaker, its article's outlet)."""
    return lambda rows: rows.order_by().values(key=F(path)).annotate(n=rows_counted(rows))


def by_text(path: str) -> Callable:
    """Rows grouped by a text column whatever its case, as an `iexact` filter selects them (an article's
    section): by UPPER, as PostgreSQL's iexact compares (LOWER folds İ, σ and ς, the Kelvin sign, otherwise),
    and SQLite's, ASCII alone, likewise. The value is one of the spellings met, which the filter matches."""
    return lambda rows: rows.order_by().values(group=Upper(path)).annotate(n=rows_counted(rows), key=Max(path))


def by_link(model, owner: str, target: str) -> Callable:
    """Rows counted through the records linking them to others (a visit's cities, an article's quotes' speakers):
    from the link table, so that a filter on the same relation does not narrow the values to itself."""

    def count(rows):
        linked = model._base_manager.filter(**{f"{owner}__in": rows.order_by().values("pk")})
        return linked.values(key=F(target)).annotate(n=Count(owner, distinct=True))

    return count


def by_month(date: str) -> Callable:
    """Rows by the month of a partial date: `2016-03`, or `2016` when only the year is known (dates.period_of)."""
    bucket = period_of(date, "month")
    return lambda rows: rows.order_by().values(key=bucket).annotate(n=rows_counted(rows))


# ------------------------------------------------------------------ how a facet names its values
def names_of(model, field: str) -> Callable[[list], dict]:
    return lambda keys: dict(
        model._base_manager.filter(pk__in=[k for k in keys if k is not None]).values_list("pk", field)
    )


def choice_labels(choices) -> Callable[[list], dict]:
    return lambda keys: {value: str(label) for value, label in choices}


def country_names(keys) -> dict:
    return {code: countries.name(code) or code for code in keys if code}


def month_labels(keys) -> dict:
    return {key: period_label(key, "month") for key in keys if key}


def _kinds(model, field: str):
    return model._meta.get_field(field).choices


LINKS = Article.visits.through, Visit.cities.through
FACETS = {
    Quote: (
        Facet("speaker", by_field("speaker"), names_of(Expert, "name"), whole=kept_count(Expert, "quote_count")),
        Facet("relayed_by", by_field("relayed_by"), names_of(Expert, "name")),
        Facet("visit", by_field("visit"), names_of(Visit, "title")),
        Facet("article", by_field("article"), names_of(Article, "title"), whole=kept_count(Article, "quote_count")),
        Facet("outlet", by_field("article__outlet"), names_of(Outlet, "name"), whole=summed_count(F("outlet"))),
        Facet("kind", by_field("kind"), choice_labels(_kinds(Quote, "kind"))),
        Facet("speaker_kind", by_field("speaker__kind"), choice_labels(_kinds(Expert, "kind"))),
        Facet(
            "month",
            by_month("article__published_date"),
            month_labels,
            chronological=True,
            whole=summed_count(period_of("published_date", "month")),
        ),
    ),
    Article: (
        Facet("outlet", by_field("outlet"), names_of(Outlet, "name")),
        Facet(
            "visit",
            by_link(LINKS[0], "article", "visit"),
            names_of(Visit, "title"),
            whole=kept_count(Visit, "article_count"),
            adds=True,
        ),
        Facet(
            "expert",
            by_link(Quote, "article", "speaker"),
            names_of(Expert, "name"),
            whole=kept_count(Expert, "article_count"),
            adds=True,
        ),
        Facet("language", by_field("language"), lambda keys: {}),
        Facet("section", by_text("section"), lambda keys: {}),
        Facet("month", by_month("published_date"), month_labels, chronological=True),
    ),
    Visit: (
        Facet("participant", by_link(VisitParticipant, "visit", "person"), names_of(Expert, "name"), adds=True),
        Facet("city", by_link(LINKS[1], "visit", "city"), names_of(City, "name"), adds=True),
        Facet("kind", by_field("kind"), choice_labels(_kinds(Visit, "kind"))),
        Facet("status", by_field("status"), choice_labels(_kinds(Visit, "status"))),
        Facet("host_country", by_field("host_country"), country_names),
        Facet("month", by_month("start_date"), month_labels, chronological=True),
    ),
    Expert: (
        Facet("kind", by_field("kind"), choice_labels(_kinds(Expert, "kind"))),
        Facet("country", by_field("country"), country_names),
    ),
    VisitParticipant: (
        Facet("visit", by_field("visit"), names_of(Visit, "title")),
        Facet("person", by_field("person"), names_of(Expert, "name")),
        Facet("role", by_field("role"), choice_labels(_kinds(VisitParticipant, "role"))),
    ),
    City: (Facet("country", by_field("country"), country_names),),
    Outlet: (),
}


def facet_names(model) -> list[str]:
    return [facet.name for facet in FACETS.get(model, ())]


def requested_facets(request, model) -> list[Facet]:
    """The facets `?facet=` names (comma-separated, or repeated), or a 400 naming the list's own."""
    asked = [name for value in request.query_params.getlist(FACET_PARAM) for name in value.split(",") if name]
    known = {facet.name: facet for facet in FACETS.get(model, ())}
    unknown = [name for name in asked if name not in known]
    if unknown:
        offered = ", ".join(known) if known else "none: this list has no facets"
        raise ValidationError(
            {FACET_PARAM: [f"Not a facet of this list: {', '.join(unknown)}. Its facets: {offered}."]}
        )
    return [known[name] for name in dict.fromkeys(asked)]


# The renderers (by format) whose answer has no room for facets: `?facet=` with one is a 400, not left out.
WITHOUT_FACETS = {
    "csv": "Facets are not part of a CSV answer, whose rows are the page's: ask for them as JSON.",
    "jsonld": "Facets are not part of a JSON-LD answer: ask for them as JSON (Accept: application/json).",
}


def check_facet_format(request) -> None:
    """A 400 for `?facet=` in a format that cannot hold facets, before anything is read (views.initial)."""
    refused = WITHOUT_FACETS.get(request.accepted_renderer.format)
    if refused and FACET_PARAM in request.query_params:
        raise ValidationError({FACET_PARAM: [refused]})


def facet_counts(request, rows, facets: list[Facet], stamp: str | None = None) -> dict:
    """Each requested facet's values over `rows` (the filtered list), with links applying each to the request;
    counted once per state of the corpus (`stamp`, read here if not given: facet_cache.py)."""
    url = remove_query_param(request.build_absolute_uri(), "cursor")

    def link(name, value, adds):
        given = request.query_params.getlist(name)
        if adds and given:
            if str(value) in given:
                return url
            # A filter holding as many ids as it takes: no link to a 400.
            return add_query_param(url, name, value) if len(given) < MAX_ALL_OF else None
        return replace_query_param(url, name, value)

    if stamp is None and settings.API_FACETS_CACHE_SECONDS:  # the stamp keys the cache, off: no query for it
        stamp = current_stamp().token
    answers = {}
    with FacetBudget(rows.db).spending() as budget:
        for facet in facets:
            key = cache_key(stamp, request.path, facet.name, request.query_params)
            counted = cached(key)
            if counted is None:
                counted = budget.run(lambda facet=facet: list(facet.counts(rows)))
                if counted is not NOT_COUNTED:
                    keep(key, counted)
            answers[facet.name] = budget.uncounted() if counted is NOT_COUNTED else facet.values(counted, link)
    return answers


def facet_parameter(model) -> OpenApiParameter | None:
    names = facet_names(model)
    if not names:
        return None
    return OpenApiParameter(
        FACET_PARAM,
        type={"type": "array", "items": {"type": "string", "enum": names}},
        style="form",
        explode=False,
        description="Also count the filtered list by these facets (comma-separated): `facets` in the answer gives, "
        f"for each, its values (at most {MAX_VALUES}, the most frequent; a month facet up to {MAX_MONTHS}, in time "
        "order) with label, "
        "count and a link applying that value's filter. A month facet's `2016` is a date known only to its year.",
    )


def add_query_param(url: str, key: str, value) -> str:
    """`url` with one more value of `key` (`?visit=3` to `?visit=3&visit=5`); DRF's helpers replace or remove."""
    scheme, netloc, path, query, fragment = parse.urlsplit(url)
    params = parse.parse_qs(query, keep_blank_values=True)
    params.setdefault(key, []).append(str(value))
    return parse.urlunsplit((scheme, netloc, path, parse.urlencode(sorted(params.items()), doseq=True), fragment))
