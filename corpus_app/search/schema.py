"""The database side of search: what each database indexes, built from the stored folded columns.

PostgreSQL: each searchable table gets `search_vector`, a tsvector column GENERATED from its
`search_head` (weight A) and `search_rest` (weight B or C), so that no write, COPY included, can
leave it behind; a GIN index over it; and a trigram index over experts' folded names (pg_trgm) for
misspelt names. An article's vector is stemmed in its own language (languages.py). The column is
declared to PostgreSQL only, not to Django: the ORM never reads it (search/backends.py names it),
and SQLite has no such type.

SQLite: an FTS5 table per searchable table, reading its content from the folded columns, kept
current by triggers. They are (re)made after every migrate (apps.py, post_migrate) because SQLite
migrations rebuild a table to alter it, which drops its triggers; a missing trigger means the index
is rebuilt. Without FTS5 compiled in, search falls back to LIKE over the same columns (backends.py).
"""

from dataclasses import dataclass

from django.db import connection as default_connection

from . import languages


@dataclass(frozen=True)
class SearchedTable:
    table: str
    rest_weight: str
    language_column: str | None = None

    @property
    def fts_table(self) -> str:
        return f"{self.table}_fts"

    def vector_expression(self) -> str:
        def vector(config: str) -> str:
            return (
                f"setweight(to_tsvector('{config}'::regconfig, search_head), 'A') || "
                f"setweight(to_tsvector('{config}'::regconfig, search_rest), '{self.rest_weight}')"
            )

        if not self.language_column:
            return vector(languages.DEFAULT_CONFIG)
        branches = " ".join(
            f"WHEN {languages.language_condition(self.language_column, language)} THEN {vector(config)}"
            for language, config in languages.STEMMED_LANGUAGES.items()
        )
        return f"CASE {branches} ELSE {vector(languages.UNSTEMMED)} END"


SEARCHED_TABLES = {
    "article": SearchedTable("corpus_app_article", "C", language_column="language"),
    "quote": SearchedTable("corpus_app_quote", "C"),
    "expert": SearchedTable("corpus_app_expert", "B"),
    "visit": SearchedTable("corpus_app_visit", "B"),
}
EXPERT_NAMES_TRIGRAM_INDEX = "corpus_expert_names_trgm"


def postgres_create(schema_editor) -> None:
    """Add the search vectors, their indexes and the names' trigram index (migration 0011)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for searched in SEARCHED_TABLES.values():
        schema_editor.execute(
            f"ALTER TABLE {searched.table} ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS ({searched.vector_expression()}) STORED"
        )
        schema_editor.execute(f"CREATE INDEX {searched.table}_search ON {searched.table} USING gin (search_vector)")
    schema_editor.execute(
        f"CREATE INDEX {EXPERT_NAMES_TRIGRAM_INDEX} ON corpus_app_expert USING gin (search_head gin_trgm_ops)"
    )


def postgres_drop(schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {EXPERT_NAMES_TRIGRAM_INDEX}")
    for searched in SEARCHED_TABLES.values():
        schema_editor.execute(f"ALTER TABLE {searched.table} DROP COLUMN IF EXISTS search_vector")


def sqlite_has_fts5(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_compileoption_used('ENABLE_FTS5')")
        return bool(cursor.fetchone()[0])


def sqlite_drop(connection) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for searched in SEARCHED_TABLES.values():
            fts = searched.fts_table
            for trigger in ("insert", "delete", "update"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {fts}_{trigger}")
            cursor.execute(f"DROP TABLE IF EXISTS {fts}")


def sqlite_ensure(connection=default_connection) -> None:
    """Make each FTS5 table and its triggers if missing, and fill a table whose triggers were missing."""
    if connection.vendor != "sqlite" or not sqlite_has_fts5(connection):
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        existing = {row[0] for row in cursor.fetchall()}
        for searched in SEARCHED_TABLES.values():
            table, fts = searched.table, searched.fts_table
            if table not in existing:
                continue
            triggers = {f"{fts}_insert", f"{fts}_delete", f"{fts}_update"}
            if fts in existing and triggers <= existing:
                continue
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5(search_head, search_rest, "
                f"content='{table}', content_rowid='id', tokenize='porter ascii')"
            )
            columns = "rowid, search_head, search_rest"
            old = f"INSERT INTO {fts}({fts}, {columns}) VALUES ('delete', old.id, old.search_head, old.search_rest);"
            new = f"INSERT INTO {fts}({columns}) VALUES (new.id, new.search_head, new.search_rest);"
            cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table} BEGIN {new} END")
            cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table} BEGIN {old} END")
            cursor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE OF search_head, search_rest ON {table} "
                f"BEGIN {old} {new} END"
            )
            cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
