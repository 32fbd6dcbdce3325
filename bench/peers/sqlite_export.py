"""The corpus's tables copied from PostgreSQL into one SQLite file, for the Datasette peer.

Every corpus_app table, every row and column as stored (JSON as text, dates and times in ISO 8601),
with the primary keys, the foreign keys (Datasette labels and `_through` follow them) and an index on
each foreign key column, as db-to-sqlite does. A small script rather than db-to-sqlite: that needs
SQLAlchemy and a second PostgreSQL driver in the bench's environment for no more than this.
"""

import datetime
import json
import sqlite3
from pathlib import Path

import psycopg2

TABLES = """
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname LIKE 'corpus\\_app\\_%' ORDER BY c.relname
"""
COLUMNS = """
SELECT column_name, data_type FROM information_schema.columns
WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position
"""
FOREIGN_KEYS = """
SELECT a.attname, confrelid::regclass::text FROM pg_constraint c
JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
WHERE c.contype = 'f' AND c.conrelid = %s::regclass
"""
INTEGER_TYPES = {"bigint", "integer", "smallint", "boolean"}


def sqlite_value(value):
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return value


def export(database_url: str, path: Path) -> None:
    """Write every corpus_app table of `database_url` to a new SQLite file at `path`."""
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    target = sqlite3.connect(partial)
    target.execute("PRAGMA journal_mode = OFF")
    source = psycopg2.connect(database_url)
    with source.cursor() as cursor:
        cursor.execute(TABLES)
        tables = [row[0] for row in cursor.fetchall()]
    for table in tables:
        with source.cursor() as cursor:
            cursor.execute(COLUMNS, [table])
            columns = cursor.fetchall()
            cursor.execute(FOREIGN_KEYS, [table])
            references = dict(cursor.fetchall())
        definitions = [
            f'"{name}" {"INTEGER" if kind in INTEGER_TYPES else "TEXT"}'
            + (" PRIMARY KEY" if name == "id" else "")
            + (f' REFERENCES "{references[name]}"(id)' if name in references else "")
            for name, kind in columns
        ]
        target.execute(f'CREATE TABLE "{table}" ({", ".join(definitions)})')
        names = ", ".join(f'"{name}"' for name, _ in columns)
        marks = ", ".join("?" for _ in columns)
        with source.cursor(name=f"export_{table}") as cursor:
            cursor.itersize = 5000
            cursor.execute(f'SELECT {names} FROM "{table}" ORDER BY id')
            while rows := cursor.fetchmany(5000):
                target.executemany(f'INSERT INTO "{table}" VALUES ({marks})',
                                   [[sqlite_value(value) for value in row] for row in rows])  # fmt: skip
        for column in references:
            target.execute(f'CREATE INDEX "{table}_{column}" ON "{table}" ("{column}")')
    target.commit()
    target.execute("ANALYZE")
    target.close()
    source.close()
    partial.rename(path)
