"""A search as an analyst types it, parsed once and compiled for either database.

The syntax is PostgreSQL's web-search syntax (websearch_to_tsquery) plus prefixes: words are all
required, "quoted words" are a phrase, `or` between two terms accepts either, `-word` excludes, and
`word*` matches every word starting so. It is parsed here rather than by websearch_to_tsquery because
each term must be folded (folding.py) and widened by the synonym table before either database sees
it, and because SQLite's FTS5 needs the same query in its own syntax.

Bounds are part of the grammar: a query is at most SEARCH_MAX_LENGTH characters and SEARCH_MAX_TERMS
terms, a prefix has at least PREFIX_MIN_LENGTH letters (a one-letter prefix is every word of the
corpus), and synonyms widen a query to at most MAX_ALTERNATIVES spellings. Anything else is a
QueryError, answered 400.
"""

import re
from dataclasses import dataclass, field

from .folding import STOP_WORDS, WORD_RE, folded_words
from .names import name_words

SEARCH_MAX_LENGTH = 300
SEARCH_MAX_TERMS = 10
PREFIX_MIN_LENGTH = 3
MAX_ALTERNATIVES = 40

# A quoted phrase (closed or running to the end), or a run of anything but white space and quotes.
_TOKEN_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')


class QueryError(ValueError):
    """A search this corpus will not run, with the reason for the person who typed it."""


@dataclass(frozen=True)
class Term:
    """Folded words that must appear in this order (a phrase if more than one); the last may be a prefix."""

    words: tuple[str, ...]
    prefix: bool = False

    @property
    def is_stop_words_only(self) -> bool:
        return not self.prefix and all(word in STOP_WORDS for word in self.words)


@dataclass(frozen=True)
class Clause:
    """Alternatives of which a match holds one (or, when excluded, none)."""

    alternatives: tuple[Term, ...]
    excluded: bool = False


@dataclass
class SearchQuery:
    text: str
    clauses: list[Clause] = field(default_factory=list)
    # Only what a record is called (search_head): a picker's search, by title or name, not body.
    head_only: bool = False

    @property
    def required(self) -> list[Clause]:
        return [clause for clause in self.clauses if not clause.excluded]

    @property
    def excluded(self) -> list[Clause]:
        return [clause for clause in self.clauses if clause.excluded]

    def name_text(self) -> str:
        """The required words, for matching a person's name by similarity (names.py)."""
        words = [w for clause in self.required for w in clause.alternatives[0].words if w not in STOP_WORDS]
        return " ".join(words)

    def beyond_names(self) -> "SearchQuery | None":
        """What a record found by a person's name must still hold in its own text: the required terms
        no name is matched by (words too short to be part of one: "Lavrov UN" is Lavrov's records that
        say UN). None if the name covers every required term."""
        named = set(name_words(self.name_text()))
        rest = [
            clause
            for clause in self.required
            if any(w not in named and w not in STOP_WORDS for w in clause.alternatives[0].words)
        ]
        return SearchQuery(self.text, rest, self.head_only) if rest else None

    def any_excluded(self) -> "SearchQuery | None":
        """A query a record matches when it holds any excluded term, or None if nothing is excluded:
        a record found by a person's name is still left out when it holds one ("Lavrov -Baku")."""
        terms = tuple(term for clause in self.excluded for term in clause.alternatives)
        return SearchQuery(self.text, [Clause(terms)], self.head_only) if terms else None

    @property
    def has_phrase(self) -> bool:
        return any(len(term.words) > 1 for clause in self.required for term in clause.alternatives)

    def without_word_order(self) -> "SearchQuery":
        """A looser query whose matches include all of this one's: each phrase as its words in any order,
        and what cannot be loosened so (a phrase among alternatives, an exclusion) left out. A phrase's
        matches are found among these (engine.py)."""
        loosened = [
            Clause((Term((word,), term.prefix and n == len(term.words) - 1),))
            for clause in self.required
            if len(clause.alternatives) == 1
            for term in clause.alternatives
            for n, word in enumerate(term.words)
        ]
        whole = [c for c in self.required if len(c.alternatives) > 1 and all(len(t.words) == 1 for t in c.alternatives)]
        return SearchQuery(self.text, [*loosened, *whole], self.head_only)

    def highlight_terms(self) -> list[Term]:
        """Every spelling a match may hold, for marking it in a snippet (snippets.py)."""
        return [term for clause in self.required for term in clause.alternatives]

    # PostgreSQL: to_tsquery syntax. The words are folded to [a-z0-9], so quoting them is enough.
    def as_tsquery(self) -> str:
        def alternative(term: Term) -> str:
            weight = "A" if self.head_only else ""  # search_head is weighted A (search/schema.py)
            words = [f"'{word}':{weight}" if weight else f"'{word}'" for word in term.words]
            if term.prefix:
                words[-1] = f"'{term.words[-1]}':*{weight}"
            return " <-> ".join(words)

        def clause(c: Clause) -> str:
            joined = " | ".join(alternative(term) for term in c.alternatives)
            return f"!({joined})" if c.excluded else f"({joined})"

        return " & ".join(clause(c) for c in self.clauses)

    # SQLite: FTS5 query syntax. NOT is binary there, so excluded clauses follow the required ones.
    def as_fts5(self) -> str:
        def alternative(term: Term) -> str:
            # PostgreSQL leaves a phrase's stop words out of the match ("visit to the" is "visit"), and
            # FTS5 indexes them: a phrase's leading and trailing ones are left out here too.
            words = list(term.words)
            while len(words) > 1 and words[-1] in STOP_WORDS and not term.prefix:
                words.pop()
            while len(words) > 1 and words[0] in STOP_WORDS:
                words.pop(0)
            return f'"{" ".join(words)}"' + ("*" if term.prefix else "")

        def clause(c: Clause) -> str:
            return "(" + " OR ".join(alternative(term) for term in c.alternatives) + ")"

        required = " AND ".join(clause(c) for c in self.required)
        expression = " ".join([required, *(f"NOT {clause(c)}" for c in self.excluded)])
        return f"search_head : ({expression})" if self.head_only else expression


def parse(text: str, synonyms: dict[str, tuple[str, ...]] | None = None) -> SearchQuery:
    """`text` as a SearchQuery, with each term widened to its synonyms (folded spelling → group's spellings)."""
    if "\x00" in text:
        raise QueryError("A search cannot contain a NUL character.")
    if len(text) > SEARCH_MAX_LENGTH:
        raise QueryError(f"A search is at most {SEARCH_MAX_LENGTH} characters; this one has {len(text):,}.")
    query = SearchQuery(text)
    pending_or, alternatives_in_all = False, 0
    for match in _TOKEN_RE.finditer(text):
        minus, phrase, bare = match.groups()
        if bare is not None and bare.lower() == "or":
            pending_or = bool(query.clauses)
            continue
        excluded = bool(minus) or (bare is not None and bare.startswith("-") and len(bare) > 1)
        raw = phrase if phrase is not None else bare.lstrip("-") if excluded else bare
        prefix = phrase is None and raw.endswith("*")
        words = tuple(folded_words(raw))
        if not words:
            continue
        # A prefix is judged by the letters typed: folding shortens some ("sho" is "so").
        if prefix and (len(WORD_RE.findall(raw)[-1]) < PREFIX_MIN_LENGTH or len(words[-1]) < 2):
            raise QueryError(f"A prefix (word*) needs at least {PREFIX_MIN_LENGTH} letters: “{raw}”.")
        term = Term(words, prefix)
        terms = (term,) if prefix else _with_synonyms(term, synonyms or {})
        if pending_or and not excluded and not query.clauses[-1].excluded:
            previous = query.clauses.pop()
            query.clauses.append(Clause(tuple(dict.fromkeys(previous.alternatives + terms))))
        else:
            query.clauses.append(Clause(terms, excluded))
        pending_or = False
        alternatives_in_all += len(terms)
        if len(query.clauses) > SEARCH_MAX_TERMS:
            raise QueryError(
                f"A search is at most {SEARCH_MAX_TERMS} terms (a word or a quoted phrase); search for fewer, "
                "more distinctive words."
            )
        if alternatives_in_all > MAX_ALTERNATIVES:
            raise QueryError("This search has too many alternatives (with their synonyms); search for fewer words.")
    # Common words alone find everything (SQLite) or are dropped (PostgreSQL): leave them out alike.
    query.clauses = [
        Clause(kept, clause.excluded)
        for clause in query.clauses
        if (kept := tuple(term for term in clause.alternatives if not term.is_stop_words_only))
    ]
    if not query.required:
        raise QueryError(
            "Nothing to search for: give at least one word to find, not only common words (the, of) or exclusions."
        )
    return query


def _with_synonyms(term: Term, synonyms: dict[str, tuple[str, ...]]) -> tuple[Term, ...]:
    spellings = synonyms.get(" ".join(term.words))
    if not spellings:
        return (term,)
    widened = [term, *(Term(tuple(spelling.split())) for spelling in spellings)]
    return tuple(dict.fromkeys(widened))
