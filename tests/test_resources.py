"""Import files name related records by slug; files written before a column existed still import."""

import pytest
import tablib

from corpus_app.models import Quote
from corpus_app.resources import QuoteResource
from tests.factories import ArticleFactory, ExpertFactory

pytestmark = pytest.mark.django_db


def import_quotes(headers, row, *, dry_run=False):
    return QuoteResource().import_data(tablib.Dataset(row, headers=headers), dry_run=dry_run)


def test_a_quote_file_without_the_relayed_by_column_imports():
    article, speaker = ArticleFactory(slug="a"), ExpertFactory(slug="s")
    result = import_quotes(
        ["article", "text", "speaker", "visit", "kind", "notes"], ["a", "We expect progress,", "s", "", "direct", ""]
    )
    assert not result.has_errors() and not result.has_validation_errors()
    quote = Quote.objects.get(article=article)
    assert (quote.speaker, quote.relayed_by) == (speaker, None)


def test_a_relay_is_named_by_slug():
    ArticleFactory(slug="a")
    ExpertFactory(slug="minister")
    relay = ExpertFactory(slug="analyst")
    headers = ["article", "text", "speaker", "relayed_by"]
    result = import_quotes(headers, ["a", "We expect progress,", "minister", "analyst"])
    assert not result.has_errors() and not result.has_validation_errors()
    assert Quote.objects.get().relayed_by == relay
