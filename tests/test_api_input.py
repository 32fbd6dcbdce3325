"""Bad input is a 400 with a message that can be sent, never a 500 and never quietly turned into something
else: deep nesting and lone surrogates (corpus_app/api/parsers.py), ids that are not whole numbers and
countries that are not strings (corpus_app/api/fields.py); `version` is read-only everywhere."""

import json

import pytest
from django.urls import reverse
from rest_framework import status

from corpus_app.models import Article, Expert, Outlet, Quote
from tests.api_payloads import RESOURCES, valid_payload
from tests.factories import ArticleFactory, ExpertFactory, OutletFactory, VisitFactory

pytestmark = pytest.mark.django_db


def post_raw(client, url, body: str):
    """POST `body` as it is: the test client's own encoder cannot write a lone surrogate."""
    return client.generic("POST", url, body, content_type="application/json")


def refused(response) -> dict:
    assert response.status_code == status.HTTP_400_BAD_REQUEST, response.content[:300]
    assert response["Content-Type"] == "application/json"
    return response.json()


# ------------------------------------------------------------------ the body as JSON
def test_json_nested_a_thousand_deep_is_400(curator_client):
    deep = "[" * 1000 + "]" * 1000
    body = refused(post_raw(curator_client, reverse("outlet-list"), f'{{"name": {deep}}}'))
    assert body == {"detail": "JSON parse error - nested deeper than 20 levels."}
    assert not Outlet.objects.exists()


def test_a_field_given_twice_is_400_naming_it(curator_client):
    """Python's decoder keeps the last of two: the client meant one of them, and cannot tell which was kept."""
    body = refused(post_raw(curator_client, reverse("outlet-list"), '{"name": "A", "slug": "a", "name": "B"}'))
    assert body == {"detail": "JSON parse error - the field 'name' is given twice, so which value is meant is unclear"}
    assert not Outlet.objects.exists()


@pytest.mark.parametrize("number", ["1e999", "-1e999", "NaN", "Infinity"])
def test_a_number_beyond_any_float_is_400_not_stored_as_inf(curator_client, number):
    body = refused(post_raw(curator_client, reverse("outlet-list"), f'{{"name": {number}, "slug": "a"}}'))
    assert body["detail"].startswith("JSON parse error")
    assert not Outlet.objects.exists()


def test_json_nested_deeper_than_a_record_needs_is_400_saying_where(curator_client):
    nested = json.dumps({"slug": "x", "name": "X", "kind": "analyst", "alternate_names": [[[["x"]]] * 1] * 1})
    assert refused(post_raw(curator_client, reverse("expert-list"), nested))["alternate_names"]  # a field error
    too_deep = {"slug": "x", "name": "X", "kind": "analyst", "alternate_names": json.loads("[" * 25 + "]" * 25)}
    body = refused(post_raw(curator_client, reverse("expert-list"), json.dumps(too_deep)))
    assert body["detail"].startswith(
        "JSON parse error - The JSON is nested deeper than 20 levels (at 'alternate_names'"
    )
    assert not Expert.objects.exists()


@pytest.mark.parametrize(
    "fields, where",
    [
        ({"kind": "\ud800"}, "'kind'"),  # a choice: its message echoed the value and could not be encoded
        ({"kind": "analyst", "name": "X\udfff"}, "'name'"),
        ({"kind": "analyst", "alternate_names": ["ok", "\ud83d"]}, "'alternate_names'[1]"),
        ({"kind": "analyst", "country": "\ud800"}, "'country'"),
    ],
    ids=["choice", "text", "list item", "country"],
)
def test_a_lone_surrogate_anywhere_is_400_with_a_message_that_encodes(curator_client, fields, where):
    body = json.dumps({"slug": "s", "name": "N", **fields})  # ensure_ascii: the surrogate travels as \\udXXX
    response = post_raw(curator_client, reverse("expert-list"), body)
    detail = refused(response)["detail"]
    assert detail.startswith(f"JSON parse error - {where} holds an unpaired surrogate (U+D")
    response.content.decode("utf-8")
    assert not Expert.objects.exists()


def test_a_surrogate_pair_is_one_character_and_welcome(curator_client):
    body = json.dumps({"slug": "emoji", "name": "Outlet 😀"})
    assert post_raw(curator_client, reverse("outlet-list"), body).status_code == status.HTTP_201_CREATED
    assert Outlet.objects.get(slug="emoji").name == "Outlet 😀"


def test_a_lone_surrogate_in_a_field_name_is_400(curator_client):
    response = post_raw(curator_client, reverse("outlet-list"), '{"slug": "s", "name": "N", "\\ud800x": 1}')
    assert "A field name holds an unpaired surrogate ('\\ud800x')" in refused(response)["detail"]


# ------------------------------------------------------------------ ids
@pytest.mark.parametrize(
    "speaker, message",
    [
        (1.9, "An id is a whole number, such as 12; this is a number with a decimal point."),
        (1.0, "An id is a whole number, such as 12; this is a number with a decimal point."),
        ("1.0", "An id is a whole number, such as 12; this is text."),
        (True, "An id is a whole number, such as 12; this is true or false."),
        ({"id": 1}, "An id is a whole number, such as 12; this is an object."),
        (0, 'Invalid pk "0" - object does not exist.'),
        (10**30, 'Invalid pk "10000000000000000000…" - object does not exist.'),
        ("9" * 5000, 'Invalid pk "99999999999999999999…" - object does not exist.'),
    ],
)
def test_an_id_that_is_not_a_whole_number_naming_a_record_is_400(curator_client, speaker, message):
    """`"speaker": 1.9` was stored as speaker 1; now the id must be the whole number of a record."""
    ExpertFactory()  # id 1 on SQLite, so a truncated 1.9 would name it
    article = ArticleFactory()
    payload = {"article": article.pk, "speaker": speaker, "text": "We expect progress,"}
    assert refused(curator_client.post(reverse("quote-list"), payload, format="json")) == {"speaker": [message]}
    assert not Quote.objects.exists()


def test_an_id_may_come_as_its_digits(curator_client):
    """HTML forms (and the browsable API) send ids as strings of digits."""
    article, speaker = ArticleFactory(), ExpertFactory()
    payload = {"article": str(article.pk), "speaker": str(speaker.pk), "text": "We expect progress,"}
    assert curator_client.post(reverse("quote-list"), payload, format="json").status_code == status.HTTP_201_CREATED


def test_ids_in_a_list_are_whole_numbers_too(curator_client):
    visit = VisitFactory()
    payload = {"slug": "a", "body": "Text.", "visits": [visit.pk + 0.5]}
    body = refused(curator_client.post(reverse("article-list"), payload, format="json"))
    assert body == {"visits": ["An id is a whole number, such as 12; this is a number with a decimal point."]}
    assert not Article.objects.exists()


# ------------------------------------------------------------------ countries
@pytest.mark.parametrize("country", [{"a": 1}, {"code": "AZ"}, ["AZ"], 31, False])
def test_a_country_that_is_not_a_string_is_400(curator_client, country):
    """`{"a": 1}` was stored as no country, `31` as Azerbaijan (its numeric code)."""
    response = curator_client.post(
        reverse("outlet-list"), {"slug": "o", "name": "O", "country": country}, format="json"
    )
    assert refused(response) == {"country": ['Give the country as its ISO 3166-1 alpha-2 code, e.g. "AZ".']}
    assert not Outlet.objects.exists()


def test_a_country_code_or_none_is_taken(curator_client):
    for slug, country, stored in [("az", "AZ", "AZ"), ("none", "", "")]:
        payload = {"slug": slug, "name": slug, "country": country}
        assert curator_client.post(reverse("outlet-list"), payload, format="json").status_code == 201
        assert Outlet.objects.get(slug=slug).country == stored


# ------------------------------------------------------------------ version
@pytest.mark.parametrize("resource", RESOURCES)
def test_version_sent_on_create_is_ignored(curator_client, resource):
    """Every record starts at version 1, whatever the client sends."""
    response = curator_client.post(f"/api/{resource}/", {**valid_payload(resource), "version": 99}, format="json")
    assert response.status_code == status.HTTP_201_CREATED, response.content[:300]
    assert response.json()["version"] == 1
    assert response["ETag"] == '"1"'


def test_version_sent_on_update_is_ignored(curator_client):
    """A save moves the version by one; a client cannot set it, forward or back."""
    outlet = OutletFactory()
    url = reverse("outlet-detail", args=[outlet.pk])
    assert curator_client.patch(url, {"version": 99}, format="json").json()["version"] == 2
    assert curator_client.put(url, {"slug": "o", "name": "O", "version": 1}, format="json").json()["version"] == 3


def test_a_stale_if_match_is_412_without_echoing_the_header(curator_client):
    """The 412 names the current version only: a 10,000-character If-Match is not sent back."""
    outlet = OutletFactory()
    header = '"' + "7" * 10_000 + '"'
    response = curator_client.patch(
        reverse("outlet-detail", args=[outlet.pk]), {"name": "X"}, format="json", HTTP_IF_MATCH=header
    )
    assert response.status_code == status.HTTP_412_PRECONDITION_FAILED
    detail = response.json()["detail"]
    assert "7777" not in detail and len(detail) < 300
