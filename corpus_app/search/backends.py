"""How each database matches and ranks a parsed query (query.py) over the stored search columns.

Each backend gives two expressions over the queried table, usable in any queryset of a searchable
model: `match` (does this row match?) and `rank` (how well; higher is better, comparable within one
kind of record on one database only). PostgreSQL reads the generated `search_vector` (schema.py)
through its GIN index; SQLite reads its FTS5 tables; SQLite built without FTS5 falls back to LIKE
over the folded columns, unranked. Names are matched apart (similar_experts): by trigram similarity
on PostgreSQL, so a misspelt name still finds its person; SQLite has no such index and finds a name
only by its folded spelling (a transliteration or a missing diacritic, not a misspelling).
"""

from django.db import connections
from django.db.models import BooleanField, Expression, FloatField

from corpus_app.models import Expert

from . import languages, names
from .query import SearchQuery
from .schema import SEARCHED_TABLES, SearchedTable, sqlite_has_fts5

# ts_rank's weights for D, C, B and A: a word in a title or a name counts five times one in a body.
RANK_WEIGHTS = "{0.05, 0.2, 0.4, 1.0}"
# pg_trgm's word similarity from which an expert is a candidate for names.py to judge, and how many.
CANDIDATE_SIMILARITY = 0.4
NAME_CANDIDATES = 200


class TableSQL(Expression):
    """SQL over the queried table's own columns, `{t}` standing for the table's alias in the query.

    RawSQL cannot say which alias it means, and the ORM renames aliases when a queryset becomes a
    subquery; this follows the renaming, and can read `search_vector`, which Django does not declare.
    """

    def __init__(self, template: str, params=(), output_field=None):
        super().__init__(output_field=output_field)
        self.template, self.params, self.alias = template, tuple(params), None

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        clone = self.copy()
        clone.alias = query.get_initial_alias()
        return clone

    def relabeled_clone(self, change_map):
        clone = self.copy()
        clone.alias = change_map.get(self.alias, self.alias)
        return clone

    def get_group_by_cols(self):
        return [self]

    def as_sql(self, compiler, connection):
        return self.template.replace("{t}", compiler.quote_name_unless_alias(self.alias)), list(self.params)


class PostgresBackend:
    phrases_read_every_row = True  # a GIN index cannot check word order (engine.py)

    def match(self, searched: SearchedTable, query: SearchQuery) -> TableSQL:
        branches = self._by_config(searched, "{t}.search_vector @@ to_tsquery('%s', %%s)", query)
        sql = " OR ".join(f"({condition} AND {test})" if condition else test for condition, test in branches)
        return TableSQL(f"({sql})", [query.as_tsquery()] * len(branches), BooleanField())

    def rank(self, searched: SearchedTable, query: SearchQuery) -> TableSQL:
        rank = f"ts_rank('{RANK_WEIGHTS}', {{t}}.search_vector, to_tsquery('%s', %%s), 1)"
        branches = self._by_config(searched, rank, query)
        if len(branches) == 1:
            sql = branches[0][1]
        else:
            sql = "CASE " + " ".join(f"WHEN {c} THEN {r}" for c, r in branches[:-1]) + f" ELSE {branches[-1][1]} END"
        return TableSQL(sql, [query.as_tsquery()] * len(branches), FloatField())

    @staticmethod
    def _by_config(searched: SearchedTable, template: str, query) -> list[tuple[str | None, str]]:
        """(row condition, `template` for the configuration) for each configuration the table's rows use."""
        if not searched.language_column:
            return [(None, template % languages.DEFAULT_CONFIG)]
        column = "{t}." + searched.language_column
        stemmed = [
            (languages.language_condition(column, language), template % config)
            for language, config in languages.STEMMED_LANGUAGES.items()
        ]
        others = " AND ".join(f"NOT {condition}" for condition, _ in stemmed)
        return [*stemmed, (others, template % languages.UNSTEMMED)]

    def prepare(self, using: str) -> None:
        """Settings every search's statements rely on, for the request's transaction (or, outside one,
        the session's: every search sets them again).

        - The trigram threshold from which an expert is a candidate (similar_experts): lower than the one
          names.py decides by.
        - No synchronized scans: a scan that stops at its first matches (engine.py ranks the first
          RANK_CANDIDATES) then starts at the table's first page rather than where another scan is, so
          the same search over the same rows ranks the same rows, and page 2 follows page 1.
        """
        connection = connections[using]
        scope = "LOCAL " if connection.in_atomic_block else ""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SET {scope}pg_trgm.word_similarity_threshold = {CANDIDATE_SIMILARITY}; "
                f"SET {scope}synchronize_seqscans = off"
            )

    def similar_experts(self, name_text: str, limit: int, using: str) -> list[tuple[int, float]]:
        words = names.name_words(name_text)
        if not words:
            return []
        # Candidates by the trigram index (at prepare()'s threshold): every query word near a part of the
        # names, as names.py asks, so that the first NAME_CANDIDATES are not people sharing one common word.
        near = " AND ".join(["search_head %%> %s"] * len(words))
        with connections[using].cursor() as cursor:
            cursor.execute(
                f"SELECT id, search_head FROM corpus_app_expert WHERE {near} LIMIT %s", [*words, NAME_CANDIDATES]
            )
            return names.most_similar(words, cursor.fetchall(), limit)


# SQLite judges every expert's names in Python: a few milliseconds a thousand. Past this many, the
# rest are not looked at (PostgreSQL's index has no such limit).
SQLITE_NAME_SCAN = 20_000


class SqliteFtsBackend:
    phrases_read_every_row = False  # FTS5 keeps positions in its index

    def prepare(self, using: str) -> None:
        """Nothing to set: SQLite reads its tables in rowid order."""

    def match(self, searched: SearchedTable, query: SearchQuery) -> TableSQL:
        fts = searched.fts_table
        return TableSQL(
            f"{{t}}.id IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)", [query.as_fts5()], BooleanField()
        )

    def rank(self, searched: SearchedTable, query: SearchQuery) -> TableSQL:
        fts = searched.fts_table
        # bm25 is negative, lower for better matches, and unbounded: b / (1 + b) of its negation puts it
        # in [0, 1), where a name's similarity and PostgreSQL's ranks are.
        best = f"SELECT -bm25({fts}, 5.0, 1.0) AS b FROM {fts} WHERE {fts} MATCH %s AND rowid = {{t}}.id"
        sql = f"(SELECT b / (1.0 + b) FROM ({best}))"
        return TableSQL(sql, [query.as_fts5()], FloatField())

    def similar_experts(self, name_text: str, limit: int, using: str) -> list[tuple[int, float]]:
        """Without a trigram index: every expert's names read and judged here, up to SQLITE_NAME_SCAN."""
        words = names.name_words(name_text)
        if not words:
            return []
        rows = Expert.objects.using(using).order_by().values_list("pk", "search_head")[:SQLITE_NAME_SCAN]
        return names.most_similar(words, rows, limit)


class SqliteLikeBackend(SqliteFtsBackend):
    """Every required word, in either column, by LIKE: a slow scan, for SQLite built without FTS5."""

    def match(self, searched: SearchedTable, query: SearchQuery) -> TableSQL:
        words = [" ".join(clause.alternatives[0].words) for clause in query.required]
        sql = " AND ".join("(' ' || {t}.search_head || ' ' || {t}.search_rest) LIKE %s" for _ in words)
        return TableSQL(f"({sql})", [f"% {word}%" for word in words], BooleanField())

    def rank(self, searched: SearchedTable, query: SearchQuery) -> TableSQL:
        return TableSQL("0.0", [], FloatField())


_SQLITE_BACKENDS: dict[str, SqliteFtsBackend] = {}


def backend_for(using: str):
    connection = connections[using]
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if using not in _SQLITE_BACKENDS:  # what SQLite was compiled with does not change while we run
        _SQLITE_BACKENDS[using] = SqliteFtsBackend() if sqlite_has_fts5(connection) else SqliteLikeBackend()
    return _SQLITE_BACKENDS[using]


def searched_table(model) -> SearchedTable:
    return SEARCHED_TABLES[model._meta.model_name]
