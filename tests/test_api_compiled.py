"""The compiled representation (corpus_app/api/compiled.py) and orjson write exactly what DRF would."""

import datetime
import inspect

import pytest
from rest_framework.renderers import JSONRenderer
from rest_framework.serializers import ModelSerializer

from corpus_app.api import serializers
from corpus_app.api.renderers import FastJSONRenderer
from corpus_app.models import DatePrecision, Quote
from tests.factories import ArticleFactory, ExpertFactory, QuoteFactory, VisitFactory, body_quoting

pytestmark = pytest.mark.django_db

SERIALIZERS = [
    cls
    for _, cls in inspect.getmembers(serializers, inspect.isclass)
    if issubclass(cls, serializers.CorpusModelSerializer) and cls is not serializers.CorpusModelSerializer
]


@pytest.fixture
def edge_cases(sample_corpus):
    """Beside the sample corpus: a time, a month-precise and an undated record, non-ASCII text, a relay."""
    text = "Bakı – “Şoyqu” said\u2028on a new line"
    article = ArticleFactory(
        outlet=None,
        body=body_quoting(text),
        published_time=datetime.time(17, 59),
        title="Xəbər",
        url="https://example.org/a?b=1",
        view_count=0,
        visits=[VisitFactory(end_date=datetime.date(2023, 3, 1), end_date_precision=DatePrecision.DAY)],
    )
    QuoteFactory(article=article, text=text, relayed_by=ExpertFactory(country="", alternate_names=["Şahin"]))
    ArticleFactory(published_date=datetime.date(2015, 9, 1), published_date_precision=DatePrecision.MONTH)
    VisitFactory(undated=True)
    return sample_corpus


@pytest.mark.parametrize("serializer_class", SERIALIZERS, ids=lambda cls: cls.__name__)
def test_every_serializer_writes_what_drf_would(edge_cases, serializer_class):
    model = serializer_class.Meta.model
    manager = model.objects
    records = list(manager.for_listing() if hasattr(manager, "for_listing") else manager.all())
    assert len(records) >= 3
    for record in records:
        serializer = serializer_class(context={})
        assert serializer.to_representation(record) == ModelSerializer.to_representation(serializer, record), record


def test_orjson_writes_drfs_bytes(edge_cases, api_client):
    """Every list, rendered by orjson, is byte for byte what DRF's JSONRenderer writes."""
    quote = Quote.objects.filter(relayed_by__isnull=False).get()
    for route in ("/api/quotes/", "/api/articles/", "/api/visits/", "/api/experts/", f"/api/quotes/{quote.pk}/"):
        response = api_client.get(route)
        assert response.status_code == 200
        assert response.content == JSONRenderer().render(response.data), route
    assert b"\\u2028" in api_client.get(f"/api/quotes/{quote.pk}/").content


def test_what_orjson_does_not_know_goes_through_drfs_encoder():
    data = {"when": datetime.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.UTC), "big": 2**70, "day": None}
    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)
    assert FastJSONRenderer().render({"day": datetime.date(2026, 1, 2)}) == JSONRenderer().render(
        {"day": datetime.date(2026, 1, 2)}
    )
