"""A `dumpdata` backup of curated data restores it exactly: every record, every field, every relation,
timestamps to the microsecond; only ids may differ.

tests/test_fixture_loading.py checks the same for the shipped corpus; this is about whatever curators
made since: factory rows of every model, edited (versions above 1), with a relayed quote, inferred
dates and participants, many-to-many relations, JSON lists and timestamps that are not whole milliseconds.
"""

import datetime

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from corpus_app.models import Article, CorpusModel, DatePrecision, Expert, Quote, SearchSynonym, Visit
from tests.factories import ExpertFactory, QuoteFactory, VisitParticipantFactory, body_quoting, sample_corpus

pytestmark = pytest.mark.django_db

ODD_MOMENT = datetime.datetime(2024, 5, 6, 7, 8, 9, 123457, tzinfo=datetime.UTC)


def curated_data() -> None:
    """sample_corpus(), plus the fields and relations it leaves at their defaults, then edits."""
    corpus = sample_corpus()
    analyst, minister = corpus.experts[3], corpus.experts[0]
    article = corpus.articles[0]
    article.body = body_quoting("Baku, unlike Yerevan, abides by the agreements reached")
    article.published_time = datetime.time(14, 5)
    article.url, article.section, article.view_count = "https://example.org/a", "Politics", 1234
    article.save()
    QuoteFactory(
        article=article,
        speaker=minister,
        relayed_by=analyst,
        kind="paraphrase",
        text="Baku, unlike Yerevan, abides by the agreements reached",
        notes="Relayed in the analyst's post.",
    )
    visit = corpus.visits[1]
    visit.end_date, visit.end_date_precision = datetime.date(2020, 11, 22), DatePrecision.DAY
    visit.start_date_inferred, visit.start_date_note = True, "From the article's dateline."
    visit.summary, visit.kind = "Talks on the ceasefire.", "working"
    visit.save()
    VisitParticipantFactory(visit=visit, person=ExpertFactory(), inferred=True, note="Implied by 'the delegation'.")
    Expert.objects.filter(pk=analyst.pk).update(created_at=ODD_MOMENT)
    SearchSynonym.objects.create(spellings="Zangezur\nZangazur", note="Both met in the press.")


def natural(obj) -> tuple | None:
    return None if obj is None else obj.natural_key()


def snapshot() -> dict:
    """{(model, natural key): {field: value}} for every corpus record; relations by natural key, ids left out."""
    records = {}
    for model in apps.get_app_config("corpus_app").get_models():
        if not issubclass(model, CorpusModel):
            continue  # the change stamp (corpus_app/changes.py) is not curated data
        for obj in model._default_manager.all():
            values = {}
            for field in model._meta.concrete_fields:
                if field.primary_key:
                    continue
                values[field.name] = (
                    natural(getattr(obj, field.name)) if field.is_relation else field.value_from_object(obj)
                )
            for field in model._meta.many_to_many:
                if field.remote_field.through._meta.auto_created:
                    values[field.name] = sorted(related.natural_key() for related in getattr(obj, field.name).all())
            records[(model._meta.label, obj.natural_key())] = values
    return records


def test_dumpdata_with_natural_keys_restores_curated_data_exactly(tmp_path):
    curated_data()
    before = snapshot()
    assert {model for model, _ in before} == {
        model._meta.label for model in apps.get_app_config("corpus_app").get_models() if issubclass(model, CorpusModel)
    }
    assert before[("corpus_app.Expert", ("elkhan-shahinoglu",))]["created_at"] == ODD_MOMENT
    assert Quote.objects.filter(relayed_by__isnull=False).exists() and Visit.objects.filter(version__gt=1).exists()

    backup = tmp_path / "corpus-backup.json"
    call_command("dumpdata", "corpus_app", natural_foreign=True, natural_primary=True, output=str(backup), verbosity=0)
    assert "07:08:09.123457" in backup.read_text()  # Django's own JSON would have cut it to .123

    # PostgreSQL checks foreign keys at commit; flush (TRUNCATE) refuses to run while those checks of
    # the rows just made are pending in the test's transaction, so run them now.
    connection.check_constraints()
    call_command("flush", interactive=False, verbosity=0)
    assert not Article.objects.exists() and not Expert.objects.exists()
    call_command("loaddata", str(backup), verbosity=0)
    assert snapshot() == before
