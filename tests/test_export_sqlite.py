"""export_sqlite: the read-only SQLite copy of the corpus for Datasette (corpus_app/publish/)."""

import io
import json
import sqlite3
import stat

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from rest_framework.authtoken.models import Token

from corpus_app.models import Article, City, Expert, Outlet, Quote, Visit, VisitParticipant
from corpus_app.publish import writer
from corpus_app.publish.writer import corpus_sqlite_export
from tests.factories import ExpertFactory, QuoteFactory

pytestmark = pytest.mark.django_db

TABLES = {
    "outlets": Outlet,
    "cities": City,
    "experts": Expert,
    "visits": Visit,
    "visit_participants": VisitParticipant,
    "articles": Article,
    "quotes": Quote,
}
LINKS = {"visit_cities": Visit.cities.through, "article_visits": Article.visits.through}
FULL_TEXT = {"articles_fts", "quotes_fts", "experts_fts", "visits_fts"}


def opened(path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def user_tables(connection) -> set[str]:
    """The tables a reader sees: less SQLite's statistics and the FTS indexes' shadow tables."""
    names = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return {name for name in names if name != "sqlite_stat1" and not name.startswith(tuple(f"{t}_" for t in FULL_TEXT))}


def test_the_copy_holds_every_corpus_row_and_no_account_or_secret(sample_corpus, tmp_path):
    """Every corpus table with all its rows and declared links; no user, token or session, nor their secrets."""
    user = get_user_model().objects.create_user("datasette-reader", password="a-password-to-hash-1")
    token = Token.objects.create(user=user)
    client = Client()
    client.force_login(user)
    path = tmp_path / "corpus.db"
    corpus_sqlite_export(path, batch_size=2)  # batches smaller than the tables, to read them in several
    with opened(path) as connection:
        assert user_tables(connection) == {*TABLES, *LINKS, *FULL_TEXT}
        for table, model in {**TABLES, **LINKS}.items():
            assert connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == model.objects.count(), table
        quote = sample_corpus.quote
        assert connection.execute(
            "SELECT speaker, article, visit, text FROM quotes WHERE id = ?", [quote.pk]
        ).fetchone() == (quote.speaker_id, quote.article_id, quote.visit_id, quote.text)
        references = {row[2:5] for row in connection.execute("PRAGMA foreign_key_list(quotes)")}
        assert references >= {("experts", "speaker", "id"), ("articles", "article", "id"), ("visits", "visit", "id")}
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    data = path.read_bytes()
    for secret in (user.password, token.key, client.session.session_key, user.username):
        assert secret.encode() not in data
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


def test_full_text_finds_words_and_any_spelling_of_a_name(tmp_path):
    """Datasette's search finds an article's words, a quote's, and an expert by another spelling, accents or not."""
    expert = ExpertFactory(name="Elkhan Shahinoglu", alternate_names=["Elxan Şahinoğlu"])
    quote = QuoteFactory(speaker=expert, text="Moscow wants to keep its influence.")
    path = tmp_path / "corpus.db"
    corpus_sqlite_export(path)
    with opened(path) as connection:

        def found(table, words):
            query = f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH ?"
            return [rowid for (rowid,) in connection.execute(query, [words])]

        assert found("experts", "sahinoglu") == found("experts", "Şahinoğlu") == [expert.pk]
        assert found("quotes", "influence") == [quote.pk]
        assert found("articles", "minister") == [quote.article_id]
        assert found("quotes", "treaty") == []


def test_the_metadata_describes_only_tables_and_columns_of_the_copy(sample_corpus, tmp_path):
    """Every table, column, facet, label and sort the metadata names exists in the file Datasette serves."""
    path = tmp_path / "press.db"
    call_command("export_sqlite", str(path), "--license", "CC BY 4.0", stdout=io.StringIO())
    metadata = json.loads((tmp_path / "press.metadata.json").read_text())
    assert metadata["license"] == "CC BY 4.0" and metadata["title"]
    tables = metadata["databases"]["press"]["tables"]  # Datasette names the database after its file
    with opened(path) as connection:
        assert set(tables) == user_tables(connection) - FULL_TEXT
        for table, entry in tables.items():
            columns = {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}
            named = {*entry["columns"], *entry.get("facets", ()), entry.get("label_column"), entry.get("sort_desc")}
            assert named - {None} <= columns, table
            assert entry["description"]
    assert tables["quotes"]["facets"] == ["speaker", "visit", "kind"]
    assert tables["experts"]["columns"]["alternate_names"] == Expert._meta.get_field("alternate_names").help_text


def test_an_existing_file_is_kept_unless_forced_and_a_failed_run_leaves_nothing(sample_corpus, tmp_path, monkeypatch):
    """Without --force an existing file is refused and untouched; a run that fails leaves neither file nor part."""
    path = tmp_path / "corpus.db"
    path.write_bytes(b"someone's file")
    with pytest.raises(CommandError, match="exists; give --force"):
        call_command("export_sqlite", str(path))
    assert path.read_bytes() == b"someone's file"
    with pytest.raises(CommandError, match="Cannot write"):
        call_command("export_sqlite", str(tmp_path / "no-such-folder" / "corpus.db"))

    def failing(db, table, using, batch_size):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(writer, "_copy_table", failing)
    with pytest.raises(CommandError, match="disk I/O error"):
        call_command("export_sqlite", str(path), "--force")
    assert sorted(tmp_path.iterdir()) == [path] and path.read_bytes() == b"someone's file"
    monkeypatch.undo()
    call_command("export_sqlite", str(path), "--force", stdout=io.StringIO())
    with opened(path) as connection:
        assert connection.execute("SELECT count(*) FROM quotes").fetchone()[0] == Quote.objects.count()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.db", "corpus.metadata.json"]
