"""`manage.py ingest` drafts a batch and saves nothing; `manage.py evaluate_ingest` scores the seeds."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from corpus_app.models import Article, Expert, Quote
from tests.factories import ExpertFactory

PAGE = (
    "Lavrov arrives in Baku\n\n13 May 2024\n\n"
    '"The visit will focus on the peace treaty and on transport links," said Farid Mammadov, a political analyst.'
)


@pytest.mark.django_db
def test_ingest_drafts_each_file_and_saves_nothing(tmp_path):
    ExpertFactory(name="Farid Mammadov")
    text_page = tmp_path / "a.txt"
    text_page.write_text(PAGE, encoding="utf-8")
    html_page = tmp_path / "b.html"
    html_page.write_bytes(
        ("<html><body><article><h1>Talks</h1><p>" + PAGE.split("\n\n")[2] + "</p></article></body></html>").encode(
            "cp1252"
        )
    )
    out = io.StringIO()
    call_command("ingest", str(text_page), str(html_page), stdout=out, stderr=io.StringIO())
    printed = out.getvalue()
    assert "a.txt: Lavrov arrives in Baku" in printed and "b.html: Talks" in printed
    assert printed.count("Farid Mammadov: “The visit will focus") == 2
    assert "Ingested 2 pages, 2 suggestions" in printed
    assert (Article.objects.count(), Quote.objects.count(), Expert.objects.count()) == (0, 0, 1)


@pytest.mark.django_db
def test_ingest_writes_the_drafts_as_the_api_answers(tmp_path):
    page = tmp_path / "a.txt"
    page.write_text(PAGE, encoding="utf-8")
    out_file = tmp_path / "drafts.json"
    call_command("ingest", str(page), "--url", "https://example.com/a", "--json", str(out_file), stdout=io.StringIO())
    (draft,) = json.loads(out_file.read_text(encoding="utf-8"))
    assert draft["article"]["url"] == "https://example.com/a"
    assert draft["suggestions"][0]["speaker"]["name"] == "Farid Mammadov"


@pytest.mark.django_db
def test_ingest_refuses_a_missing_file_and_a_url_for_many(tmp_path):
    page = tmp_path / "a.txt"
    page.write_text(PAGE, encoding="utf-8")
    with pytest.raises(CommandError, match="No such file"):
        call_command("ingest", str(tmp_path / "missing.html"))
    with pytest.raises(CommandError, match="one FILE"):
        call_command("ingest", str(page), str(page), "--url", "https://example.com/a")


def test_evaluate_ingest_meets_its_targets_on_the_seeds(tmp_path):
    """The corpus's own seeds, scored with the corpus's experts and with none (ingest/evaluation.py)."""
    out = io.StringIO()
    call_command("evaluate_ingest", "--output", str(tmp_path), "--check", stdout=out)
    scores = json.loads((tmp_path / "ingest.json").read_text())
    assert [result["directory"] for result in scores["results"]] == ["known", "cold"]
    for result in scores["results"]:
        for measure, target in scores["targets"].items():
            assert result["measures"][measure] >= target, (result["directory"], measure)
        assert sum(page["quotes"] for page in result["pages"]) >= 25  # every curated quote of the five seeds
    assert "| known |" in out.getvalue() and (tmp_path / "ingest.md").exists()
