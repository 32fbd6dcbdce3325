"""Loading fixtures: idempotent, reproducible through dumpdata, and refusing bad rows whole."""

import io
import json

import pytest
from django.core.management import call_command

from corpus_app.models import Article, City, Expert, Outlet, Quote, Visit, VisitParticipant

pytestmark = pytest.mark.django_db

CORPUS_MODELS = (Quote, VisitParticipant, Article, Visit, Expert, Outlet, City)  # deletable in this order


def dump_corpus() -> str:
    out = io.StringIO()
    call_command("dumpdata", "corpus_app", natural_foreign=True, natural_primary=True, indent=1, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in CORPUS_MODELS}


def test_loading_the_corpus_twice_changes_nothing(corpus):
    """Loading the corpus over itself changes no row."""
    before = dump_corpus()
    counts = row_counts()
    call_command("loaddata", "corpus", verbosity=0)
    assert row_counts() == counts
    assert dump_corpus() == before


def test_dump_and_reload_reproduces_the_corpus_exactly(corpus, tmp_path):
    """dumpdata with natural keys, then loaddata into an empty database, gives back the same corpus."""
    dumped = dump_corpus()
    (tmp_path / "dump.json").write_text(dumped, encoding="utf-8")
    for model in CORPUS_MODELS:
        model.objects.all().delete()
    assert sum(row_counts().values()) == 0
    call_command("loaddata", str(tmp_path / "dump.json"), verbosity=0)
    assert dump_corpus() == dumped


def test_loads_into_a_database_that_already_has_rows(corpus):
    """Rows are keyed by slug, never by id: the corpus loads beside other rows, even rows holding ids it once had."""
    expert_id, outlet_id = (
        Expert.objects.values_list("pk", flat=True)[0],
        Outlet.objects.values_list("pk", flat=True)[0],
    )
    for model in CORPUS_MODELS:
        model.objects.all().delete()
    Expert.objects.create(pk=expert_id, name="Someone Else", slug="someone-else", kind="analyst")
    Outlet.objects.create(pk=outlet_id, name="Other", slug="other")
    call_command("loaddata", "corpus", verbosity=0)
    assert Expert.objects.count() == 24
    assert Outlet.objects.count() == 4
    assert Expert.objects.get(pk=expert_id).slug == "someone-else"
    assert Outlet.objects.get(pk=outlet_id).slug == "other"


def load_bad_rows(tmp_path, rows) -> str:
    """Load `rows` as a fixture after the corpus; return the error text; assert nothing changed."""
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    before = dump_corpus()
    with pytest.raises(Exception) as caught:
        call_command("loaddata", str(path), verbosity=0)
    assert dump_corpus() == before
    return str(caught.value)


VALID_VISIT = {
    "model": "corpus_app.visit",
    "fields": {
        "slug": "new-visit",
        "title": "New visit",
        "host_country": "AZ",
        "start_date": "2024-05-02",
        "start_date_precision": "day",
    },
}


def test_a_visit_ending_before_it_starts_is_refused_naming_the_row(corpus, tmp_path):
    """A fixture visit ending before it starts is refused, naming the row, and the whole load is undone."""
    bad = {
        "model": "corpus_app.visit",
        "fields": {
            **VISIT_FIELDS,
            "slug": "backwards-visit",
            "title": "Backwards visit",
            "end_date": "2024-05-01",
            "end_date_precision": "day",
        },
    }
    message = load_bad_rows(tmp_path, [VALID_VISIT, bad])
    assert "backwards-visit" in message
    assert "cannot end before it starts" in message
    assert not Visit.objects.filter(slug="new-visit").exists()


def test_a_quote_by_an_unknown_speaker_is_refused_naming_the_row(corpus, tmp_path):
    """A fixture quote naming a speaker that does not exist is refused, naming the row and the key."""
    bad = {
        "model": "corpus_app.quote",
        "fields": {
            "article": ["why-lavrov-flew-to-aliyev"],
            "speaker": ["no-such-person"],
            "text": "I hope that progress will be made",
        },
    }
    message = load_bad_rows(tmp_path, [VALID_VISIT, bad])
    assert "corpus_app.Quote ('why-lavrov-flew-to-aliyev'" in message
    assert "(no speaker): “I hope that progress will be made”" in message
    assert "speaker: no expert matches the key given." in message


def test_a_quote_not_in_its_article_is_refused_naming_the_row(corpus, tmp_path):
    """A fixture quote whose text is not in its article is refused, naming the row."""
    bad = {
        "model": "corpus_app.quote",
        "fields": {
            "article": ["why-lavrov-flew-to-aliyev"],
            "speaker": ["sergei-lavrov"],
            "text": "Words Lavrov never said in this article.",
        },
    }
    message = load_bad_rows(tmp_path, [VALID_VISIT, bad])
    assert "Words Lavrov never said" in message
    assert "does not appear in the article" in message


def test_an_inferred_date_without_reasoning_is_refused(corpus, tmp_path):
    """A fixture visit with an inferred date but no note is refused."""
    bad = {
        "model": "corpus_app.visit",
        "fields": {**VISIT_FIELDS, "slug": "guessed", "title": "Guessed", "start_date_inferred": True},
    }
    message = load_bad_rows(tmp_path, [bad])
    assert "guessed" in message and "needs a note" in message


VISIT_FIELDS = {k: v for k, v in VALID_VISIT["fields"].items() if k not in ("slug", "title")}
