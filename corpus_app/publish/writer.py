"""Write the SQLite copy (tables.py says what is in it) and its Datasette metadata, all or nothing.

The source is read through the ORM in keyset batches (id > last id), inside one read snapshot, so
memory holds one batch whether the corpus has a hundred quotes or a million, and the copy is
consistent even while curators edit. Everything is written to temporary files beside the targets and
renamed over them only once complete: a failed run leaves no half-written file behind.
"""

import json
import os
import sqlite3
import tempfile
from contextlib import ExitStack
from pathlib import Path

import sqlite_utils
from django.db import models

from corpus_app.archive.progress import Summary, progress_bar
from corpus_app.archive.records import json_value
from corpus_app.archive.snapshot import batches_by_id, read_snapshot

from .metadata import datasette_metadata
from .tables import LinkTable, table_of, written_in_order

BATCH = 1000
# unicode61 folds case and accents (sahinoglu finds Şahinoğlu); remove_diacritics 2 (SQLite 3.27+) folds
# accents written as combining marks too. No stemming: the corpus is in English, Russian and Azerbaijani.
TOKENIZE = "unicode61 remove_diacritics 2"
READ_ONLY = 0o444


class SqliteExportError(Exception):
    """An export that cannot be written (a file in the way, a folder that cannot be written to)."""


def metadata_path_for(path: Path) -> Path:
    """corpus.db -> corpus.metadata.json, beside it."""
    return path.with_name(f"{path.stem}.metadata.json")


def corpus_sqlite_export(
    path, *, metadata_path=None, force=False, about=None, using="default", batch_size=BATCH, progress=None
) -> Summary:
    """Write the corpus of database `using` to the SQLite file `path` and its metadata; returns a Summary.

    Refuses to replace an existing file unless `force`. `about` fills the metadata's title, source and
    license (keys as Datasette names them); the license is left out unless given.
    """
    path = Path(path)
    metadata_path = Path(metadata_path) if metadata_path else metadata_path_for(path)
    if metadata_path.resolve() == path.resolve():
        raise SqliteExportError("The metadata needs a file of its own: give --metadata another name.")
    for target in (path, metadata_path):
        if target.is_dir():
            raise SqliteExportError(f"{target} is a folder; give a file name.")
        if target.exists() and not force:
            raise SqliteExportError(f"{target} exists; give --force to replace it.")
    summary = Summary("Exported")
    with ExitStack() as cleanup:
        database_file = _temporary_beside(path, cleanup)
        metadata_file = _temporary_beside(metadata_path, cleanup)
        with read_snapshot(using):
            _write_database(database_file, summary, using, batch_size, progress)
        metadata = datasette_metadata(database_name=path.stem, about=about or {})
        try:
            metadata_file.write_text(json.dumps(metadata, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            # The database last: a run that fails before it leaves the previous copy whole.
            for written, target in ((metadata_file, metadata_path), (database_file, path)):
                written.chmod(READ_ONLY)
                os.replace(written, target)
        except OSError as error:
            raise SqliteExportError(f"Cannot write {path}: {error.strerror or error}.") from error
        cleanup.pop_all()
    summary.bytes = path.stat().st_size
    return summary.finish()


def _temporary_beside(target: Path, cleanup: ExitStack) -> Path:
    """An empty file in the target's folder (so the final rename stays on one file system), removed on failure."""
    try:
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    except OSError as error:
        raise SqliteExportError(f"Cannot write {target}: {error.strerror or error}.") from error
    os.close(handle)
    temporary = Path(name)
    cleanup.callback(temporary.unlink, missing_ok=True)
    return temporary


def _write_database(file: Path, summary: Summary, using: str, batch_size: int, progress) -> None:
    connection = sqlite3.connect(file)
    try:
        db = sqlite_utils.Database(connection)
        # A new file nobody else reads: a failure deletes it, so no journal is needed while it is written.
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        tables = written_in_order()
        total = sum(_source(table, using).count() for table in tables)
        with progress_bar(total=total, enabled=progress, desc="export_sqlite") as bar:
            for table in tables:
                written = _copy_table(db, table, using, batch_size)
                summary.count(table.noun, written)
                bar.update(written)
        for table in tables:
            _add_indexes(db, table)
        db.execute("ANALYZE")
        db.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.Error as error:
        raise SqliteExportError(f"Writing the SQLite file failed: {error}.") from error
    finally:
        connection.close()


def _source(table, using):
    model = table.through if isinstance(table, LinkTable) else table.model
    return model._base_manager.using(using).order_by()


def _copy_table(db, table, using, batch_size) -> int:
    """Create the table with its keys and copy its rows; returns how many."""
    columns = _create(db, table)
    rows = (
        {column: _value(row[name]) for name, column in columns.items()}
        for batch in batches_by_id(_source(table, using), [name for name in columns if name != "pk"], batch_size)
        for row in batch
    )
    written = 0

    def counted(rows):
        nonlocal written
        for row in rows:
            written += 1
            yield row

    db[table.name].insert_all(counted(rows), batch_size=batch_size)
    return written


def _create(db, table) -> dict[str, str]:
    """Create `table` in the copy; returns {name read from the source: column written}."""
    if isinstance(table, LinkTable):
        types = {column: int for column, _, _ in table.columns}
        foreign_keys = [(column, target, "id") for column, _, target in table.columns]
        db[table.name].create(types, pk=tuple(types), foreign_keys=foreign_keys, not_null=set(types))
        return {attribute: column for column, attribute, _ in table.columns}
    db[table.name].create(
        {field.name: _column_type(field) for field in table.fields},
        pk="id",
        foreign_keys=[(field.name, _target(field), "id") for field in table.fields if field.many_to_one],
        not_null={field.name for field in table.fields if not field.null},
    )
    return {"pk" if field.primary_key else field.attname: field.name for field in table.fields}


def _add_indexes(db, table) -> None:
    if isinstance(table, LinkTable):
        # The primary key serves the owner's side; the other side needs its own (a visit's articles).
        db[table.name].create_index([table.columns[1][0]])
        return
    indexed = {field.name for field in table.fields if field.many_to_one} | set(table.facets)
    for column in sorted(indexed):
        db[table.name].create_index([column])
    if table.sort_desc:
        db[table.name].create_index([sqlite_utils.db.DescIndex(table.sort_desc)])
    if table.full_text:
        db[table.name].enable_fts(table.full_text, tokenize=TOKENIZE)
        db[f"{table.name}_fts"].optimize()


def _target(field) -> str:
    return table_of(field.related_model).name


def _column_type(field: models.Field) -> type:
    internal = field.get_internal_type()
    if internal == "BooleanField" or internal.endswith(("IntegerField", "AutoField")) or field.many_to_one:
        return int
    if internal in ("FloatField", "DecimalField"):
        return float
    return str


def _value(value):
    """As the archive writes it (dates ISO 8601, datetimes UTC), lists as JSON with their letters unescaped."""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return json_value(value)
