"""The README's Python sync loop (Recipes) keeps an exact copy through edits, renames, deletions and reused keys."""

import io
import re
import urllib.request
from pathlib import Path

import pytest
from django.test import Client

from corpus_app.models import Expert, Quote
from tests.factories import CityFactory, QuoteFactory, sample_corpus

README = Path(__file__).resolve().parent.parent / "README.md"
SERVER = "http://127.0.0.1:8000"

pytestmark = pytest.mark.django_db


def python_block(marker: str) -> str:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    (block,) = [block for block in blocks if marker in block]
    return block


def urlopen_through_django(url, *args, **kwargs):
    assert url.startswith(SERVER), url
    response = Client().get(url[len(SERVER) :])
    assert response.status_code == 200, (url, response.content[:300])
    return io.BytesIO(response.content)


def test_the_sync_loop_keeps_an_exact_copy(monkeypatch, settings):
    settings.SYNC_OVERLAP_SECONDS = 0
    monkeypatch.setattr(urllib.request, "urlopen", urlopen_through_django)
    corpus = sample_corpus()
    recipe = {}
    exec(compile(python_block("def sync("), "README.md", "exec"), recipe)  # runs its two rounds too
    copy, since = recipe["copy"], recipe["since"]

    analyst = Expert.objects.get(slug="elkhan-shahinoglu")
    analyst.name = "Elxan Şahinoğlu"
    analyst.save()
    QuoteFactory(speaker=analyst, text="Moscow wants to keep its influence,")
    Quote.objects.filter(article=corpus.articles[0]).first().delete()
    corpus.cities[2].visits.clear()
    corpus.cities[2].delete()
    CityFactory(name="Yerevan", slug="yerevan", country="AM")  # the deleted city's key, taken by a new one
    since = recipe["sync"](copy, since)

    fresh = {kind: {} for kind in copy}
    recipe["sync"](fresh)
    assert copy == fresh
