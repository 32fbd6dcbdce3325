"""Every text field has a longest value, refused beyond it by the API (400, stated in the schema) and by the
model's own validation, which import previews and fixture loading run (corpus_app/models/limits.py)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework import status

from corpus_app.models import Expert, limits
from tests.api_payloads import valid_payload
from tests.factories import ArticleFactory, ExpertFactory, QuoteFactory

pytestmark = pytest.mark.django_db

BOUNDED = [
    # resource, field, longest
    ("articles", "body", limits.ARTICLE_BODY),
    ("articles", "notes", limits.NOTES),
    ("articles", "published_date_note", limits.NOTE),
    ("quotes", "text", limits.QUOTE_TEXT),
    ("quotes", "notes", limits.NOTES),
    ("visits", "summary", limits.SUMMARY),
    ("visits", "notes", limits.NOTES),
    ("visits", "start_date_note", limits.NOTE),
    ("visit-participants", "note", limits.NOTE),
    ("experts", "notes", limits.NOTES),
    ("outlets", "notes", limits.NOTES),
]


@pytest.mark.parametrize("resource, field, longest", BOUNDED, ids=[f"{r}.{f}" for r, f, _ in BOUNDED])
def test_text_over_its_limit_is_400_on_the_field(curator_client, resource, field, longest):
    payload = {**valid_payload(resource), field: "x" * (longest + 1)}
    response = curator_client.post(f"/api/{resource}/", payload, format="json")
    assert response.status_code == status.HTTP_400_BAD_REQUEST
    assert response.json()[field] == [f"Ensure this field has no more than {longest} characters."]


def test_the_limits_are_in_the_schema(api_client):
    components = api_client.get(reverse("schema"), {"format": "json"}).json()["components"]["schemas"]
    assert components["ArticleWriteRequest"]["properties"]["body"]["maxLength"] == 200_000
    assert components["QuoteWriteRequest"]["properties"]["text"]["maxLength"] == 10_000
    assert components["ExpertRequest"]["properties"]["alternate_names"]["maxItems"] == 50


def test_model_validation_refuses_text_over_its_limit():
    """Import previews and fixture loading validate with full_clean: they refuse what the API refuses."""
    article = ArticleFactory()
    article.body = "x" * (limits.ARTICLE_BODY + 1)
    with pytest.raises(ValidationError) as refused:
        article.full_clean()
    assert "body" in refused.value.message_dict
    quote = QuoteFactory()
    quote.notes = "n" * (limits.NOTES + 1)
    with pytest.raises(ValidationError) as refused:
        quote.full_clean()
    assert set(refused.value.message_dict) == {"notes"}


def test_at_most_fifty_spellings_of_a_name(curator_client):
    payload = {"slug": "many", "name": "Many", "kind": "analyst", "alternate_names": [f"M{n}" for n in range(51)]}
    response = curator_client.post(reverse("expert-list"), payload, format="json")
    assert response.json() == {"alternate_names": ["Ensure this field has no more than 50 elements."]}
    expert = ExpertFactory(alternate_names=[f"M{n}" for n in range(50)])
    expert.alternate_names.append("one more")
    with pytest.raises(ValidationError, match="At most 50 spellings of at most 200 characters each."):
        expert.full_clean()
    assert not Expert.objects.filter(slug="many").exists()
