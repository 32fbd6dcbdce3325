"""Search: one engine for /api/search/, every list's ?search= and the admin's search boxes.

A mixed search ranks each kind of record on its own, then merges them by score. Ranking reads each
matching row's search vector, which for a word in half the corpus is half the corpus: so each kind
ranks at most RANK_CANDIDATES of its matches, the first the index finds, and says when it stopped
there (the count is then a floor, and the analyst adds a word or a filter). Only the page asked for
is read in full and given snippets. Names are matched apart, by similarity (backends.py): the
experts a query names rank among the hits, and so do their quotes.
"""

from dataclasses import dataclass

from django.db import connections, router
from django.db.models import Case, FloatField, Q, Value, When
from django.db.models.functions import Coalesce, Greatest

from corpus_app.models import Expert, SearchSynonym

from . import backends
from .names import name_words
from .query import SearchQuery, parse
from .snippets import Marker
from .targets import KINDS, TARGETS, TARGETS_BY_MODEL, SearchFilters

RANK_CANDIDATES = 500
PHRASE_EXAMINED = 1000
MAX_RANKED = 1000  # the deepest page reaches this far into the ranking
NAMED_EXPERTS = 5
FEW_TO_SORT = 2000  # matches a filtered list sorts rather than finds along its order (matching())
# A quote by (or relaying) a person the search names, or a visit they took part in, gains this much
# times how well the name matched.
NAMED_BOOST = 0.5


@dataclass
class Hit:
    kind: str
    pk: int
    score: float
    record: object = None


@dataclass
class SearchResult:
    query: SearchQuery
    hits: list[Hit]  # the page asked for, records loaded
    count: int
    count_is_floor: bool  # some kind had more matches than it ranked

    def marker(self, config: str, *, names: bool = False) -> Marker:
        """What to mark in a hit's snippet; `names` for a person's, where a misspelt name matched too."""
        return Marker(self.query.highlight_terms(), config, name_words(self.query.name_text()) if names else ())


def synonym_spellings() -> dict[str, tuple[str, ...]]:
    """Each folded spelling in the synonym table → every spelling of its group.

    The table is small and curated by hand (a few dozen groups): it is read whole, one short query per
    search, rather than cached, so a group takes effect in the transaction that saves it.
    """
    spellings = {}
    for group in SearchSynonym.objects.values_list("folded", flat=True):
        for folded in group:
            spellings[folded] = tuple(group)
    return spellings


def parse_search(text: str) -> SearchQuery:
    """`text` parsed and widened by the synonym table; QueryError if it is not a search we run."""
    return parse(text, synonym_spellings())


NO_FILTERS = SearchFilters()


def search(query: SearchQuery, *, kinds=KINDS, filters=NO_FILTERS, offset=0, limit=20) -> SearchResult:
    using = router.db_for_read(Expert)
    backend = backends.backend_for(using)
    backend.prepare(using)
    named = dict(backend.similar_experts(query.name_text(), NAMED_EXPERTS, using))
    ranked, count, floor = [], 0, False
    for kind in kinds:
        rows = TARGETS[kind].filtered(filters)
        if rows is None:
            continue
        found, capped, hits = _ranked(kind, rows, query, backend, named, offset + limit)
        ranked += hits
        count += found
        floor |= capped
    ranked.sort(key=lambda hit: (-hit.score, KINDS.index(hit.kind), hit.pk))
    page = ranked[offset : offset + limit]
    _load(page)
    return SearchResult(query, page, count, floor)


def matching(queryset, query: SearchQuery):
    """`queryset` (of a searchable model) narrowed to the rows `query` matches: for ?search= and the admin."""
    target = TARGETS_BY_MODEL[queryset.model]
    backend = backends.backend_for(queryset.db)
    backend.prepare(queryset.db)
    condition = backend.match(backends.searched_table(target.model), query)
    if target.named and (named := backend.similar_experts(query.name_text(), NAMED_EXPERTS, queryset.db)):
        condition |= _about_named(target, query, backend, [pk for pk, _ in named])
    # A list walks its order's index and keeps the rows that match: quick when matches are many, a
    # scan of the table when they are few (a rare name's quotes). A few are found first and sorted.
    # Not for a phrase, which PostgreSQL checks row by row (see _ranked): finding them all is the scan.
    if query.has_phrase and backend.phrases_read_every_row:
        return queryset.filter(condition)
    found = list(queryset.filter(condition).order_by().values_list("pk", flat=True)[: FEW_TO_SORT + 1])
    return queryset.filter(pk__in=found) if len(found) <= FEW_TO_SORT else queryset.filter(condition)


def _ranked(kind, rows, query, backend, named, depth) -> tuple[int, bool, list[Hit]]:
    """How many rows of this kind match (up to RANK_CANDIDATES), whether there may be more, and the best
    `depth` of them, ranked: one statement, so that the candidates never travel to Python and back."""
    target = TARGETS[kind]
    searched = backends.searched_table(target.model)
    found = Q(backend.match(searched, query))  # what a candidate must hold to be ranked
    candidates, examined = found, RANK_CANDIDATES
    phrase_checked_apart = query.has_phrase and backend.phrases_read_every_row
    if phrase_checked_apart:
        # PostgreSQL's index finds the rows holding a phrase's words, not in order: it then reads each
        # one's vector to check the order. Two common words rarely side by side would be read across
        # the whole table; the rows read are bounded instead (the first PHRASE_EXAMINED holding the
        # words), the order is checked on those alone, and the count is then a floor.
        candidates, examined = Q(backend.match(searched, query.without_word_order())), PHRASE_EXAMINED
    score = Coalesce(backend.rank(searched, query), Value(0.0))  # a row matched by name alone has no rank
    if target.named and named:
        about_named = _about_named(target, query, backend, list(named))
        found, candidates = found | about_named, candidates | about_named
        if kind == "expert":  # ranked by how well the name matched
            similarity = Case(*[When(pk=pk, then=Value(s)) for pk, s in named.items()], default=Value(0.0))
            score = Greatest(score, similarity, output_field=FloatField())
        else:
            boost = Value(NAMED_BOOST * max(named.values()))
            score = score + Case(When(about_named, then=boost), default=Value(0.0))
    if phrase_checked_apart:  # a candidate that does not hold the phrase gets no score
        score = Case(When(found, then=score), default=None, output_field=FloatField())
    first = rows.filter(candidates).order_by().annotate(search_score=score).values_list("pk", "search_score")
    sql, params = first[:examined].query.get_compiler(using=first.db).as_sql()
    # The LIMIT inside keeps the planner from checking every row the index finds (a subquery with a
    # LIMIT is never merged into the query around it); the windows count before the page is cut.
    ranking = (
        f"WITH candidate (pk, score) AS ({sql}) "
        "SELECT pk, score, count(score) OVER (), count(*) OVER () FROM candidate "
        "ORDER BY score IS NULL, score DESC, pk LIMIT %s"
    )
    with connections[first.db].cursor() as cursor:
        cursor.execute(ranking, [*params, depth])
        best = cursor.fetchall()
    if not best:
        return 0, False, []
    matched, read = best[0][2], best[0][3]
    return matched, read == examined, [Hit(kind, pk, float(s)) for pk, s, _, _ in best if s is not None]


def _about_named(target, query: SearchQuery, backend, people: list[int]) -> Q:
    """Rows about these people (found by their names, however misspelt) that hold what the name does
    not stand for: the query's other words, and none of its exclusions."""
    searched = backends.searched_table(target.model)
    condition = target.named(people)
    if (rest := query.beyond_names()) is not None:
        condition &= Q(backend.match(searched, rest))
    if (excluded := query.any_excluded()) is not None:
        condition &= ~Q(backend.match(searched, excluded))
    return condition


def _load(page: list[Hit]) -> None:
    for kind in {hit.kind for hit in page}:
        records = TARGETS[kind].rows().in_bulk([hit.pk for hit in page if hit.kind == kind])
        for hit in page:
            if hit.kind == kind:
                hit.record = records.get(hit.pk)
    page[:] = [hit for hit in page if hit.record is not None]  # deleted since it was ranked
