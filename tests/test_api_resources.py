"""What every API resource shares: writes described as they are sent, answered in the read form, versioned."""

import pytest
from django.urls import reverse
from rest_framework import status

from tests.factories import ArticleFactory, ExpertFactory, OutletFactory, QuoteFactory

pytestmark = pytest.mark.django_db

WRITE_SHAPES = {
    "quote-list": {"text": "string", "speaker": "field", "relayed_by": "field", "article": "field", "visit": "field"},
    "article-list": {"outlet": "field", "visits": "field", "body": "string"},
    "visit-list": {"cities": "field", "start_date": "date"},
    "visitparticipant-list": {"visit": "field", "person": "field"},
}


@pytest.mark.parametrize("name, expected", WRITE_SHAPES.items())
def test_options_describes_the_write_shape(curator_client, name, expected):
    """OPTIONS names relations as ids to send (not nested objects), and says which fields are required."""
    actions = curator_client.options(reverse(name)).json()["actions"]["POST"]
    assert {field: actions[field]["type"] for field in expected} == expected
    assert "id" not in actions or actions["id"]["read_only"]


def test_options_says_a_quote_needs_its_speaker_and_article(curator_client):
    actions = curator_client.options(reverse("quote-list")).json()["actions"]["POST"]
    assert actions["speaker"]["required"] and actions["article"]["required"] and actions["text"]["required"]
    assert not actions["relayed_by"]["required"] and not actions["visit"]["required"]


def test_the_browsable_api_form_takes_ids(client, curator):
    """The HTML form for a new quote offers speakers to choose, as the write serializer takes them."""
    ExpertFactory(name="Choosable Speaker")
    client.force_login(curator)
    page = client.get(reverse("quote-list"), HTTP_ACCEPT="text/html").content.decode()
    assert 'name="speaker"' in page and "Choosable Speaker" in page


def test_a_create_answers_with_the_read_form_its_etag_and_its_location(curator_client):
    response = curator_client.post(reverse("outlet-list"), {"slug": "new-outlet", "name": "New Outlet"})
    assert response.status_code == status.HTTP_201_CREATED
    body = response.json()
    assert (body["article_count"], body["version"]) == (0, 1)
    assert response["ETag"] == '"1"'
    assert response["Location"].endswith(reverse("outlet-detail", args=[body["id"]]))


def test_an_article_create_is_located_at_its_record_not_its_source_page(curator_client):
    outlet = OutletFactory()
    payload = {"slug": "s", "outlet": outlet.pk, "body": "Text.", "url": "https://example.org/source"}
    response = curator_client.post(reverse("article-list"), payload)
    assert response.status_code == status.HTTP_201_CREATED, response.content
    assert response["Location"].endswith(reverse("article-detail", args=[response.json()["id"]]))


def test_an_update_answers_with_embedded_records_and_the_new_etag(curator_client):
    quote = QuoteFactory()
    relay = ExpertFactory(name="The Relay")
    response = curator_client.patch(
        reverse("quote-detail", args=[quote.pk]), {"relayed_by": relay.pk}, HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == status.HTTP_200_OK, response.content
    assert response.json()["relayed_by"] == {"id": relay.pk, "slug": relay.slug, "name": "The Relay"}
    assert response.json()["speaker"]["id"] == quote.speaker_id
    assert response["ETag"] == '"2"'


def test_a_stale_if_match_is_412_on_update_and_delete_and_changes_nothing(curator_client):
    expert = ExpertFactory(role="before")
    url = reverse("expert-detail", args=[expert.pk])
    assert curator_client.patch(url, {"role": "first"}, HTTP_IF_MATCH='"1"').status_code == status.HTTP_200_OK
    assert curator_client.patch(url, {"role": "second"}, HTTP_IF_MATCH='"1"').status_code == 412
    assert curator_client.delete(url, HTTP_IF_MATCH='"1"').status_code == 412
    expert.refresh_from_db()
    assert (expert.role, expert.version) == ("first", 2)


def test_a_quote_relayed_by_its_own_speaker_is_refused(curator_client):
    quote = QuoteFactory()
    response = curator_client.patch(reverse("quote-detail", args=[quote.pk]), {"relayed_by": quote.speaker_id})
    assert response.status_code == status.HTTP_400_BAD_REQUEST
    assert "relayed by someone other than its speaker" in str(response.json())


def test_the_schema_documents_writes_as_ids_in_and_records_out(api_client):
    schema = api_client.get(reverse("schema"), {"format": "json"}).json()
    post = schema["paths"]["/api/quotes/"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/QuoteWriteRequest")
    assert post["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith("/Quote")
    patch = schema["paths"]["/api/articles/{id}/"]["patch"]
    assert patch["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/Article")


def test_a_quote_can_be_read_with_whoever_relayed_it(api_client):
    quote = QuoteFactory(article=ArticleFactory(), relayed_by=ExpertFactory(name="Relay"))
    body = api_client.get(reverse("quote-detail", args=[quote.pk])).json()
    assert body["relayed_by"]["name"] == "Relay"


def test_the_browsable_edit_form_is_filled_with_the_write_shape(client, curator):
    """The raw-data form for PUT holds ids, so submitting it unchanged is a valid write."""
    quote = QuoteFactory()
    client.force_login(curator)
    page = client.get(reverse("quote-detail", args=[quote.pk]), HTTP_ACCEPT="text/html").content.decode()
    form = page.split('id="put-generic-content-form"')[1].split("</textarea>")[0]
    assert f"&quot;speaker&quot;: {quote.speaker_id}" in form


def test_a_weak_if_match_never_matches(curator_client):
    """RFC 9110: If-Match compares strongly, so W/"1" is not version 1."""
    expert = ExpertFactory()
    url = reverse("expert-detail", args=[expert.pk])
    assert curator_client.patch(url, {"role": "x"}, HTTP_IF_MATCH='W/"1"').status_code == 412
    assert curator_client.patch(url, {"role": "x"}, HTTP_IF_MATCH='W/"1", "1"').status_code == status.HTTP_200_OK


def test_the_412_message_does_not_echo_the_header(curator_client):
    expert = ExpertFactory()
    response = curator_client.patch(
        reverse("expert-detail", args=[expert.pk]), {"role": "x"}, HTTP_IF_MATCH='"' + "9" * 5000 + '"'
    )
    assert response.status_code == 412 and len(response.content) < 500


def test_the_schema_documents_etag_and_location(api_client):
    paths = api_client.get(reverse("schema"), {"format": "json"}).json()["paths"]
    assert set(paths["/api/quotes/"]["post"]["responses"]["201"]["headers"]) == {"ETag", "Location"}
    for method in ("get", "put", "patch"):
        assert "ETag" in paths["/api/experts/{id}/"][method]["responses"]["200"]["headers"]


def test_quotes_filter_and_search_by_who_relayed_them(api_client):
    relay = ExpertFactory(name="Elkhan Shahinoglu", alternate_names=["Elhan Shainoglu"])
    relayed = QuoteFactory(relayed_by=relay)
    QuoteFactory()
    listed = api_client.get(reverse("quote-list"), {"relayed_by": relay.pk}).json()["results"]
    assert [row["id"] for row in listed] == [relayed.pk]
    found = api_client.get(reverse("quote-list"), {"search": "Shainoglu"}).json()["results"]
    assert [row["id"] for row in found] == [relayed.pk]
