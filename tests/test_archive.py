"""Archive scale: generate_corpus, export_corpus and import_corpus (corpus_app/archive/)."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from corpus_app.archive import bulk_writer, import_
from corpus_app.archive.constraints import check_constraint_errors
from corpus_app.archive.export import RecordWriter, corpus_export
from corpus_app.archive.generate import corpus_records
from corpus_app.archive.import_ import corpus_import
from corpus_app.archive.reader import ArchiveError
from corpus_app.archive.records import HEADER, IMPORT_REASON, TOP_KINDS
from corpus_app.counts import count_drift
from corpus_app.models import Article, City, Expert, Outlet, Quote, Visit, VisitParticipant
from tests.factories import ArticleFactory, QuoteFactory, VisitParticipantFactory, body_quoting

pytestmark = pytest.mark.django_db


def export_bytes(fmt="ndjson") -> bytes:
    out = io.BytesIO()
    corpus_export(out=out, fmt=fmt)
    return out.getvalue()


def corpus_clear() -> None:
    """Delete every corpus row, children first (relations are PROTECT); their history stays."""
    for model in (Quote, Article, VisitParticipant, Visit, Expert, City, Outlet):
        model._base_manager.all().delete()


def generated_archive(articles=6, seed=1) -> bytes:
    out = io.BytesIO()
    writer = RecordWriter(out, "ndjson")
    writer.write(HEADER)
    for _where, record in corpus_records(articles=articles, seed=seed):
        writer.write(record)
    writer.close()
    return out.getvalue()


def import_bytes(data: bytes, **kwargs):
    return corpus_import(stream=io.BufferedReader(io.BytesIO(data)), **kwargs)


@pytest.fixture
def varied_corpus(sample_corpus):
    """sample_corpus plus what it lacks: a relayed quote, an inferred participant, an inferred month, a URL,
    text with tabs, backslashes and non-ASCII letters, and a record at a later version."""
    article = sample_corpus.articles[0]
    QuoteFactory(
        article=article,
        text="The minister arrived.",
        speaker=sample_corpus.experts[0],
        relayed_by=sample_corpus.experts[3],
    )
    VisitParticipantFactory(
        visit=sample_corpus.visits[2], person=sample_corpus.experts[4], inferred=True, note="From the agenda."
    )
    ArticleFactory(
        published_date=datetime.date(2019, 5, 1),
        published_date_precision="month",
        published_date_inferred=True,
        published_date_note="From the events it mentions.",
        url="https://example.org/a",
        body=body_quoting("Ünïcödé\ttext, with\\backslashes and “marks”."),
        view_count=12,
    )
    outlet = sample_corpus.outlets[0]
    outlet.notes = "Edited once."
    outlet.save()
    return sample_corpus


class TestGenerate:
    def test_the_same_size_and_seed_give_the_same_corpus(self):
        assert generated_archive(seed=7) == generated_archive(seed=7)
        assert generated_archive(seed=7) != generated_archive(seed=8)

    def test_a_generated_corpus_passes_every_rule_and_check_corpus(self):
        out = io.StringIO()
        call_command("generate_corpus", articles=30, seed=3, stdout=out, stderr=io.StringIO())
        assert "30 articles" in out.getvalue()
        assert Article.objects.count() == 30
        assert 60 <= Quote.objects.count() <= 240
        assert Expert.objects.exclude(alternate_names=[]).exists()
        call_command("check_corpus", stdout=io.StringIO())  # raises CommandError on any problem
        for record in (*Expert.objects.all(), *Article.objects.all()[:3], *Quote.objects.all()[:10]):
            record.full_clean()  # every model rule, queries included, holds on what the bulk path wrote


class TestRoundTrip:
    @pytest.mark.parametrize("fmt", ["ndjson", "json"])
    def test_export_import_export_gives_the_same_bytes(self, varied_corpus, fmt):
        first = export_bytes(fmt)
        corpus_clear()
        summary = import_bytes(first)
        assert summary.counts["quote"] == Quote.objects.count() == 9
        assert export_bytes(fmt) == first
        assert count_drift() == []  # the rows came in without signals: the load recounted them

    def test_timestamps_and_versions_come_back_exactly(self, varied_corpus):
        outlet = Outlet.objects.get(slug=varied_corpus.outlets[0].slug)
        stamps = (outlet.created_at, outlet.updated_at, outlet.version)
        assert stamps[0].microsecond and stamps[2] == 2
        data = export_bytes()
        corpus_clear()
        import_bytes(data)
        outlet = Outlet.objects.get(slug=outlet.slug)
        assert (outlet.created_at, outlet.updated_at, outlet.version) == stamps

    def test_each_imported_record_has_its_history_baseline(self, varied_corpus):
        data = export_bytes()
        corpus_clear()
        import_bytes(data)
        for kind in TOP_KINDS:
            for record in kind.model.objects.all():
                (entry,) = record.history.all()
                assert (entry.history_type, entry.history_change_reason) == ("+", IMPORT_REASON)
                assert entry.history_date == record.updated_at
        article = Article.objects.filter(visits__isnull=False).first()
        baseline = article.history.get()
        assert {row.visit_id for row in baseline.visits.all()} == set(article.visits.values_list("pk", flat=True))

    def test_after_bulk_load_runs_once_inside_the_transaction(self, sample_corpus, monkeypatch):
        data = export_bytes()
        corpus_clear()
        calls = []
        monkeypatch.setattr(import_, "after_bulk_load", lambda using: calls.append((using, Article.objects.count())))
        import_bytes(data)
        assert calls == [("default", 4)]

    @pytest.mark.postgres
    def test_on_postgresql_rows_go_in_by_copy_and_ids_continue_after_them(self, sample_corpus, monkeypatch):
        data = export_bytes()
        corpus_clear()
        copied = []
        original = bulk_writer.Table.flush

        def spy(table):
            if table.pending:
                copied.append(table.model._meta.db_table)
            original(table)

        monkeypatch.setattr(bulk_writer.Table, "flush", spy)
        import_bytes(data)
        assert connection.vendor == "postgresql" and "corpus_app_quote" in copied
        assert export_bytes() == data
        largest = max(Article.objects.values_list("pk", flat=True))
        assert ArticleFactory().pk > largest  # the sequence was moved past the copied ids


def mutated(data: bytes, kind: str, change) -> tuple[bytes, int]:
    """`data` with the first record of `kind` changed by `change(record)`; and that record's line number."""
    lines = data.decode().splitlines(keepends=True)
    for number, line in enumerate(lines, start=1):
        record = json.loads(line)
        if record.get("record") == kind:
            change(record)
            lines[number - 1] = json.dumps(record, ensure_ascii=False) + "\n"
            return "".join(lines).encode(), number
    raise AssertionError(f"no {kind} in the archive")


def set_quote_text(record):
    record["quotes"][0]["text"] = "Words this article never printed."


def set_unknown_speaker(record):
    record["quotes"][1]["speaker"] = "nobody-at-all"


def set_bad_precision(record):
    record["published_date_precision"] = "decade"


def set_month_without_date(record):
    record.update(published_date=None, published_date_precision="month")


class TestBadRecords:
    @pytest.mark.parametrize(
        ("kind", "change", "reason"),
        [
            ("article", set_quote_text, "quote 1: text: This text does not appear in the article's body"),
            ("article", set_unknown_speaker, "quote 2: speaker: no expert with slug 'nobody-at-all'"),
            ("article", set_bad_precision, "published_date_precision: Value 'decade' is not a valid choice."),
            ("article", set_month_without_date, "published_date must be given exactly when"),
            ("article", lambda r: r.update(published_date=20230301), "published_date: 20230301 is not a valid"),
            ("expert", lambda r: r.update(alternate_names=[r["name"]]), "A spelling is repeated"),
            ("visit", lambda r: r["participants"][0].update(inferred=True, note=""), "participant 1: An inferred"),
            # JSON of the wrong type is refused, not converted: an archive is exact.
            ("expert", lambda r: r.update(name=["a"]), "name: ['a'] is not text."),
            ("expert", lambda r: r.update(version=1.5), "version: 1.5 is not a whole number."),
            ("expert", lambda r: r.update(version=True), "version: True is not a whole number."),
            ("expert", lambda r: r.update(created_at="2023-02-27T10:00:00"), "is not a date and time with its offset"),
            ("expert", lambda r: r.update(created_at=None), "created_at: a value is required, not null."),
            ("expert", lambda r: r.update(created_at="2030-01-01T00:00:00+00:00"), "updated_at is before created_at"),
            ("expert", lambda r: r.update(role="a\x00b"), "NUL character"),
        ],
    )
    def test_is_named_by_line_with_its_reason_and_nothing_is_written(self, kind, change, reason):
        data, line = mutated(generated_archive(), kind, change)
        with pytest.raises(ArchiveError) as raised:
            import_bytes(data)
        assert raised.value.where == f"line {line}"
        assert reason in raised.value.message
        assert not any(kind.model.objects.exists() for kind in TOP_KINDS)

    @pytest.mark.parametrize("batch_rows", [2000, 3], ids=["same batch", "earlier batch"])
    def test_a_duplicate_article_slug_is_named(self, monkeypatch, batch_rows):
        """Slugs are checked in memory within a batch, and by a query against the batches written before."""
        monkeypatch.setattr(bulk_writer, "BATCH_ROWS", batch_rows)
        lines = generated_archive().decode().splitlines(keepends=True)
        articles = [n for n, line in enumerate(lines) if '"record":"article"' in line]
        last = json.loads(lines[articles[-1]])
        last["slug"] = json.loads(lines[articles[0]])["slug"]
        lines[articles[-1]] = json.dumps(last, ensure_ascii=False) + "\n"
        with pytest.raises(ArchiveError) as raised:
            import_bytes("".join(lines).encode())
        assert raised.value.where == f"line {articles[-1] + 1}"
        assert "already has this slug" in raised.value.message
        assert not Article.objects.exists()

    @pytest.mark.parametrize(
        ("text", "reason"),
        [
            ('{"record": "outlet", "slug": "a", "slug": "b"}', "a key is given twice (slug)"),
            ('{"record": "outlet", "view_count": Infinity}', "Infinity is not a JSON number"),
            ("[" * 100_000 + "]" * 100_000, "nested too deep"),
            ('{"record": "outlet", "slug": "\\ud800"}', "half of a surrogate pair"),
        ],
        ids=["repeated key", "infinity", "deep nesting", "lone surrogate"],
    )
    def test_json_that_is_no_record_is_named(self, text, reason):
        lines = generated_archive().decode().splitlines(keepends=True)
        lines[4] = text + "\n"
        with pytest.raises(ArchiveError) as raised:
            import_bytes("".join(lines).encode())
        assert raised.value.where == "line 5" and reason in raised.value.message
        assert not Outlet.objects.exists()

    def test_a_malformed_line_is_named(self):
        lines = generated_archive().decode().splitlines(keepends=True)
        lines[4] = lines[4][:30] + "\n"
        with pytest.raises(ArchiveError) as raised:
            import_bytes("".join(lines).encode())
        assert raised.value.where == "line 5" and "not a JSON object" in raised.value.message
        assert not Outlet.objects.exists()

    def test_a_file_cut_short_is_refused(self):
        data = generated_archive()
        with pytest.raises(ArchiveError, match="cut short"):
            import_bytes(data[: data.rindex(b'{"record":"end"')])
        assert not Article.objects.exists()

    def test_a_database_with_a_corpus_is_refused_and_left_alone(self):
        ArticleFactory(slug="kept")
        with pytest.raises(ArchiveError, match="not empty"):
            import_bytes(generated_archive())
        assert list(Article.objects.values_list("slug", flat=True)) == ["kept"]


class TestCommands:
    def test_export_then_import_through_the_commands(self, sample_corpus, tmp_path):
        path = tmp_path / "corpus.ndjson"
        out = io.StringIO()
        call_command("export_corpus", str(path), stdout=out)
        assert "4 articles" in out.getvalue()
        corpus_clear()
        call_command("import_corpus", str(path), stdout=out)
        assert Article.objects.count() == 4 and "Imported" in out.getvalue()

    def test_import_reports_a_bad_line_as_a_command_error(self, tmp_path):
        path = tmp_path / "bad.ndjson"
        data, line = mutated(generated_archive(), "article", set_quote_text)
        path.write_bytes(data)
        with pytest.raises(CommandError, match=f"Nothing was imported. {path}, line {line}: quote 1: text"):
            call_command("import_corpus", str(path))
        assert not Article.objects.exists()


def test_every_check_constraint_is_evaluated_without_a_query(django_assert_num_queries):
    """A lookup constraints.py does not know raises instead of passing: every model's constraints evaluate."""
    with django_assert_num_queries(0):
        for model in (Outlet, City, Expert, Visit, VisitParticipant, Article, Quote):
            check_constraint_errors(model())
