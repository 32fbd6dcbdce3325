"""Writing rows in bulk: COPY on PostgreSQL, one multi-row INSERT statement per batch elsewhere.

Rows are tuples of Python values in the order of a table's columns (every concrete field), ids
included: the importer numbers rows itself so that a quote can name its article before either is
written. Values go through each field's own get_db_prep_value for INSERTs; for COPY they are
written in PostgreSQL's text format, which is what psycopg2's adapters would send, as text.
"""

import datetime
import io
import json

from django.core.management.color import no_style
from django.db import connections

BATCH_ROWS = 2000


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime.datetime):
        text = value.isoformat()
    elif isinstance(value, list | dict):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    # Backslash first: the escapes added after it must stay single.
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class Table:
    """One table being filled: its columns, the rows waiting to be written, and the next free id."""

    def __init__(self, model, connection, next_id: int):
        self.model, self.connection, self.next_id = model, connection, next_id
        self.fields = list(model._meta.concrete_fields)
        self.columns = [field.column for field in self.fields]
        self.attnames = [field.attname for field in self.fields]
        self.pending: list[tuple] = []
        self.written = 0

    def allocate_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def add(self, row: tuple) -> None:
        self.pending.append(row)

    def add_instance(self, instance) -> None:
        self.add(tuple(getattr(instance, name) for name in self.attnames))

    @property
    def full(self) -> bool:
        return len(self.pending) >= BATCH_ROWS

    def flush(self) -> None:
        if not self.pending:
            return
        quote = self.connection.ops.quote_name
        table, columns = quote(self.model._meta.db_table), ", ".join(quote(c) for c in self.columns)
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                data = io.StringIO("".join("\t".join(map(_copy_text, row)) + "\n" for row in self.pending))
                cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", data)
            else:
                prep = [field.get_db_prep_save for field in self.fields]
                prepared = [
                    [prepare(value, self.connection) for prepare, value in zip(prep, row, strict=True)]
                    for row in self.pending
                ]
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", prepared)
        self.written += len(self.pending)
        self.pending = []


class BulkWriter:
    """The tables of one bulk load on database `using`, numbered after any id already used.

    Tables are written in the order they were first asked for, parents before children, every one
    whenever one has a batch ready. On PostgreSQL foreign keys are checked row by row as they are
    written (SET CONSTRAINTS ALL IMMEDIATE) instead of at commit: deferred, each row's check waits
    in the server's memory until the end, which for millions of rows is a lot of memory.
    """

    def __init__(self, using: str):
        self.connection = connections[using]
        self.tables: dict[type, Table] = {}
        if self.connection.vendor == "postgresql":
            with self.connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    def table(self, model, *, ids_also_in=()) -> Table:
        """The Table of `model`; new ids start after the largest in it and in `ids_also_in` (model, column)."""
        if model not in self.tables:
            largest = max([self._largest(model, model._meta.pk.column), *(self._largest(m, c) for m, c in ids_also_in)])
            self.tables[model] = Table(model, self.connection, largest + 1)
        return self.tables[model]

    def _largest(self, model, column) -> int:
        quote = self.connection.ops.quote_name
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX({quote(column)}) FROM {quote(model._meta.db_table)}")
            return cursor.fetchone()[0] or 0

    def flush(self, *, when_full: bool = False) -> None:
        """Write every pending row; with when_full, only if some table has a batch ready."""
        if when_full and not any(table.full for table in self.tables.values()):
            return
        for table in self.tables.values():
            table.flush()

    def finish(self) -> None:
        """Write what is pending and move each id sequence past the ids written (COPY does not advance them)."""
        self.flush()
        statements = self.connection.ops.sequence_reset_sql(no_style(), list(self.tables))
        with self.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
