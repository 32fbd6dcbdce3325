"""Search: one engine for /api/search/, every list's ?search= and the admin's search boxes.

A mixed search ranks each kind of record on its own, then merges them by score. Ranking reads each
matching row's search vector, which for a word in half the corpus is half the corpus: so each kind
ranks at most RANK_CANDIDATES of its matches, the first the index finds, and says when it stopped
there (the count is then a floor, and the analyst adds a word or a filter). Only the page asked for
is read in full and given snippets. Names are matched apart, by similarity (backends.py): the
experts a query names rank among the hits, and so do their quotes.
"""

from dataclasses import dataclass

from django.db import router
from django.db.models import Case, F, FloatField, Q, Value, When
from django.db.models.functions import Coalesce, Greatest

from corpus_app.models import Expert, SearchSynonym

from . import backends
from .names import name_words
from .query import SearchQuery, parse
from .snippets import Marker
from .targets import KINDS, TARGETS, TARGETS_BY_MODEL, SearchFilters

RANK_CANDIDATES = 1000
PHRASE_EXAMINED = 2000
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
    condition = backend.match(backends.searched_table(target.model), query)
    if target.named and (named := backend.similar_experts(query.name_text(), NAMED_EXPERTS, queryset.db)):
        condition |= target.named([pk for pk, _ in named])
    # A list walks its order's index and keeps the rows that match: quick when matches are many, a
    # scan of the table when they are few (a rare name's quotes). A few are found first and sorted.
    # Not for a phrase, which PostgreSQL checks row by row (see _ranked): finding them all is the scan.
    if query.has_phrase and backend.phrases_read_every_row:
        return queryset.filter(condition)
    found = list(queryset.filter(condition).order_by().values_list("pk", flat=True)[: FEW_TO_SORT + 1])
    return queryset.filter(pk__in=found) if len(found) <= FEW_TO_SORT else queryset.filter(condition)


def _ranked(kind, rows, query, backend, named, depth) -> tuple[int, bool, list[Hit]]:
    """How many rows of this kind match (up to RANK_CANDIDATES), whether there may be more, and the best
    `depth` of them, ranked."""
    target = TARGETS[kind]
    searched = backends.searched_table(target.model)
    condition, capped = Q(backend.match(searched, query)), False
    if query.has_phrase and backend.phrases_read_every_row:
        # PostgreSQL's index finds the rows holding a phrase's words, not in order: it then reads each
        # one's vector to check the order. Two common words rarely side by side would be read across
        # the whole table; the rows read are bounded instead, and the count is then a floor.
        # The rows to read are fetched first: as a subquery, the planner reads every row for the phrase.
        loose = rows.filter(backend.match(searched, query.without_word_order())).order_by()
        examined = list(loose.values_list("pk", flat=True)[:PHRASE_EXAMINED])
        condition &= Q(pk__in=examined)
        capped = len(examined) == PHRASE_EXAMINED
    score = Coalesce(backend.rank(searched, query), Value(0.0))  # a row matched by name alone has no rank
    if target.named and named:
        condition |= target.named(list(named))
        if kind == "expert":  # ranked by how well the name matched
            similarity = Case(*[When(pk=pk, then=Value(s)) for pk, s in named.items()], default=Value(0.0))
            score = Greatest(score, similarity, output_field=FloatField())
        else:
            boost = Value(NAMED_BOOST * max(named.values()))
            score = score + Case(When(target.named(list(named)), then=boost), default=Value(0.0))
    candidates = list(rows.filter(condition).order_by().values_list("pk", flat=True)[:RANK_CANDIDATES])
    capped |= len(candidates) == RANK_CANDIDATES
    if not candidates:
        return 0, capped, []
    best = (
        target.model._default_manager.filter(pk__in=candidates)
        .annotate(search_score=score)
        .order_by(F("search_score").desc(nulls_last=True), "pk")
        .values_list("pk", "search_score")[:depth]
    )
    return len(candidates), capped, [Hit(kind, pk, float(s or 0.0)) for pk, s in best]


def _load(page: list[Hit]) -> None:
    for kind in {hit.kind for hit in page}:
        records = TARGETS[kind].rows().in_bulk([hit.pk for hit in page if hit.kind == kind])
        for hit in page:
            if hit.kind == kind:
                hit.record = records.get(hit.pk)
    page[:] = [hit for hit in page if hit.record is not None]  # deleted since it was ranked
