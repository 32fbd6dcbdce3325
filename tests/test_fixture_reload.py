"""Reloading a fixture over curated work: identical rows untouched, differing ones refused or versioned."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from corpus_app.models import Article, Expert, Visit
from tests.factories import ArticleFactory, ExpertFactory, QuoteFactory, VisitFactory

pytestmark = pytest.mark.django_db


def dump(*models) -> str:
    out = io.StringIO()
    labels = [model._meta.label for model in models]
    call_command("dumpdata", *labels, natural_foreign=True, natural_primary=True, stdout=out)
    return out.getvalue()


@pytest.fixture
def shipped(tmp_path):
    """A fixture of an expert, two visits, an article covering one and a quote, as shipped."""
    expert = ExpertFactory(slug="analyst", role="political scientist")
    visit, other = VisitFactory(slug="visit"), VisitFactory(slug="other-visit")
    article = ArticleFactory(slug="article", visits=[visit])
    QuoteFactory(article=article, speaker=expert)
    path = tmp_path / "shipped.json"
    path.write_text(dump(Expert, Visit, Article))
    return {"path": str(path), "expert": expert, "visit": visit, "other": other, "article": article}


def test_identical_rows_are_left_alone_versions_and_history_included(shipped):
    expert = shipped["expert"]
    expert.notes = "curated"
    expert.save()  # version 2
    Expert.objects.filter(pk=expert.pk).update(notes="")  # the fixture's value again, as a curator might restore it
    history = expert.history.count()
    call_command("loaddata", shipped["path"], verbosity=0)
    expert.refresh_from_db()
    assert (expert.version, expert.history.count()) == (2, history)


def test_a_curated_change_is_refused_listed_and_nothing_is_loaded(shipped):
    expert, article = shipped["expert"], shipped["article"]
    expert.role = "head of a think tank"
    expert.save()
    article.visits.add(shipped["other"])
    Visit.objects.filter(slug="visit").update(title="Renamed by a curator")
    with pytest.raises(CommandError) as refused:
        call_command("loaddata", shipped["path"], verbosity=0)
    message = str(refused.value)
    assert "3 record(s) in the database differ from the fixture, so nothing was loaded" in message
    assert "corpus_app.Expert ('analyst',): role" in message
    assert "corpus_app.Visit ('visit',): title" in message
    assert "corpus_app.Article ('article',): visits" in message
    assert "--overwrite" in message
    expert.refresh_from_db()
    assert (expert.role, expert.version) == ("head of a think tank", 2)


def test_overwrite_saves_each_as_its_next_version_with_history(shipped):
    expert = shipped["expert"]
    expert.role = "head of a think tank"
    expert.save()
    call_command("loaddata", shipped["path"], "--overwrite", verbosity=0)
    expert.refresh_from_db()
    assert (expert.role, expert.version) == ("political scientist", 3)
    latest = expert.history.latest("history_date")
    assert latest.history_change_reason.startswith("Overwritten from fixture")
    assert latest.role == "political scientist"


def test_an_if_match_on_the_curated_version_fails_after_an_overwrite(shipped, curator_client):
    expert = shipped["expert"]
    curator_client.patch(f"/api/experts/{expert.pk}/", {"role": "curated"}, HTTP_IF_MATCH='"1"')
    call_command("loaddata", shipped["path"], "--overwrite", verbosity=0)
    stale = curator_client.patch(f"/api/experts/{expert.pk}/", {"role": "stale"}, HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412


def test_new_rows_load_with_a_first_history_entry(shipped):
    rows = json.loads(open(shipped["path"]).read())
    rows.append({"model": "corpus_app.expert", "fields": {"slug": "newcomer", "name": "New Comer", "kind": "analyst"}})
    with open(shipped["path"], "w") as fixture:
        json.dump(rows, fixture)
    call_command("loaddata", shipped["path"], verbosity=0)
    assert Expert.objects.get(slug="newcomer").history.count() == 1
