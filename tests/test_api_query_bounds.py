"""A query string cannot ask for unbounded work: at most 10 search words of at most 100 characters, 300
characters in all, and free-text filters of at most 300 characters; the schema states the same bounds
(corpus_app/api/query_bounds.py)."""

import re

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework import status
from rest_framework.filters import search_smart_split

from corpus_app.api.query_bounds import SEARCH_PATTERN, search_bounds_error
from tests.api_responses import slugs
from tests.factories import ArticleFactory, ExpertFactory

LIST = reverse("article-list")
ELEVEN_WORDS = "A search is at most 10 words; this one has 11. Search for fewer, more distinctive words."


def refusal(response, parameter: str) -> str:
    assert response.status_code == status.HTTP_400_BAD_REQUEST, response.content[:300]
    (message,) = response.json()[parameter]
    return message


@pytest.mark.django_db
@pytest.mark.parametrize(
    "search, message",
    [
        (" ".join(["a"] * 2000), "A search is at most 300 characters; this one has 3,999."),
        (" ".join(["lavrov"] * 11), ELEVEN_WORDS),
        ("a,b,c,d,e,f,g,h,i,j,k", ELEVEN_WORDS),
        ('"a b c d e f g h i j k"', ELEVEN_WORDS),
        ("x" * 101, "A search word is at most 100 characters; one here has 101."),
    ],
    ids=["2000 words", "11 words", "11 by commas", "a phrase of 11 words", "a word of 101"],
)
def test_a_search_beyond_the_bounds_is_400_on_the_search_parameter(api_client, search, message):
    assert refusal(api_client.get(LIST, {"search": search}), "search") == message


@pytest.mark.django_db
def test_a_search_within_the_bounds_runs(api_client):
    ArticleFactory(slug="found", title="Lavrov in Baku", body="Talks on Zangazur.")
    ArticleFactory(slug="other", title="Elsewhere")
    ten_words = "lavrov, baku " + " ".join(["talks"] * 8)
    assert slugs(api_client.get(LIST, {"search": ten_words})) == {"found"}
    assert slugs(api_client.get(LIST, {"search": "zangazur " + "x" * 100 + " " * 190})) == set()
    assert slugs(api_client.get(LIST, {"search": '"talks on"'})) == {"found"}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["expert-list", "outlet-list", "quote-list", "visit-list", "visitparticipant-list"])
def test_every_list_bounds_its_search(api_client, path):
    response = api_client.get(reverse(path), {"search": " ".join(["w"] * 11)})
    assert refusal(response, "search").startswith("A search is at most 10 words")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, parameter",
    [
        ("expert-list", "affiliation"),
        ("article-list", "section"),
        ("article-list", "language"),
    ],  # a country is a code (filters.CountryFilter): test_api_query_parameters.py
)
def test_a_free_text_filter_over_300_characters_is_400(api_client, path, parameter):
    """60,000 characters were a LIKE pattern SQLite refused with a 500; now any text filter stops at 300."""
    ExpertFactory(affiliation="MGIMO")
    assert api_client.get(reverse(path), {parameter: "x" * 300}).status_code == status.HTTP_200_OK
    message = refusal(api_client.get(reverse(path), {parameter: "x" * 60_000}), parameter)
    assert message == "Ensure this value has at most 300 characters (it has 60000)."


@pytest.mark.django_db
def test_the_schema_states_the_bounds(api_client):
    schema = api_client.get(reverse("schema"), {"format": "json"}).json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/articles/"]["get"]["parameters"]}
    assert parameters["search"]["schema"] == {"type": "string", "maxLength": 300, "pattern": SEARCH_PATTERN}
    assert "At most 10 words of at most 100 characters, 300 characters in all" in parameters["search"]["description"]
    assert parameters["section"]["schema"]["maxLength"] == 300
    expert_parameters = {p["name"]: p for p in schema["paths"]["/api/experts/"]["get"]["parameters"]}
    assert expert_parameters["affiliation"]["schema"]["maxLength"] == 300


SEPARATORS_AND_QUOTES = st.sampled_from([" ", ",", "\t", "\n", "\x1c", "\x85", "\xa0", "\u3000", "\ufeff", '"', "'"])
SEARCHES = st.text(alphabet=st.one_of(st.sampled_from("ab"), SEPARATORS_AND_QUOTES), max_size=320)


@settings(max_examples=300, derandomize=True)
@given(SEARCHES)
def test_the_schema_pattern_and_the_server_agree(search):
    """A search fits the schema (pattern and maxLength) exactly when the server runs it."""
    fits_schema = len(search) <= 300 and re.search(SEARCH_PATTERN, search) is not None
    assert fits_schema == (search_bounds_error(search) is None)


@settings(max_examples=300, derandomize=True)
@given(SEARCHES)
def test_a_search_within_the_bounds_never_makes_more_than_ten_terms(search):
    """Quotes join words into one term and never split one: DRF searches at most 10 terms."""
    if search_bounds_error(search) is None:
        assert len(search_smart_split(search)) <= 10
