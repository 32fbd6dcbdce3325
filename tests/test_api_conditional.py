"""Conditional reads: a client's unchanged copy is confirmed with 304, and any change is never hidden."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import http_date

from corpus_app.changes import current_stamp
from corpus_app.models import CorpusChangeStamp, Quote
from tests.factories import ExpertFactory, QuoteFactory, body_quoting

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run writes as if committed: the stamp moves after commit, which a test's transaction never reaches."""

    def run(write):
        with django_capture_on_commit_callbacks(execute=True):
            return write()

    return run


def stamp_moved_long_ago():
    CorpusChangeStamp.objects.update(changed_at=datetime.datetime(2026, 1, 1, 12, 0, 0, 250000, tzinfo=datetime.UTC))


def test_an_unchanged_list_is_304_after_one_query_for_the_stamp(api_client, committed):
    committed(lambda: QuoteFactory.create_batch(3))
    url = reverse("quote-list")
    tag = api_client.get(url)["ETag"]

    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(url, HTTP_IF_NONE_MATCH=tag)
    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == tag
    read = [
        query["sql"] for query in queries if "SAVEPOINT" not in query["sql"] and "statement_timeout" not in query["sql"]
    ]
    assert len(read) == 1 and "corpus_app_corpuschangestamp" in read[0]


def test_renaming_a_speaker_changes_the_tag_of_lists_that_embed_the_name(api_client, curator_client, committed):
    quote = committed(QuoteFactory)
    url = reverse("quote-list")
    tag = api_client.get(url)["ETag"]

    committed(
        lambda: curator_client.patch(
            reverse("expert-detail", args=[quote.speaker_id]), {"name": "Renamed Analyst"}, format="json"
        )
    )
    response = api_client.get(url, HTTP_IF_NONE_MATCH=tag)
    assert response.status_code == 200 and response["ETag"] != tag
    assert response.json()["results"][0]["speaker"]["name"] == "Renamed Analyst"


def test_a_body_edit_moves_its_quotes_without_a_false_412_on_their_next_edit(api_client, curator_client, committed):
    """The quote's position and updated_at change with the body; its version, which If-Match compares, does not."""
    quote = committed(lambda: QuoteFactory(text="We expect progress,"))
    url = reverse("quote-detail", args=[quote.pk])
    before = api_client.get(url)

    article_url = reverse("article-detail", args=[quote.article_id])
    moved_body = "A new first paragraph.\n\n" + body_quoting("We expect progress,")
    committed(lambda: curator_client.patch(article_url, {"body": moved_body}, format="json"))

    after = api_client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after.json()["position"] > before.json()["position"]
    assert after.json()["updated_at"] > before.json()["updated_at"]
    assert after.json()["version"] == before.json()["version"]
    edit = curator_client.patch(url, {"notes": "checked"}, format="json", HTTP_IF_MATCH=before["ETag"])
    assert edit.status_code == 200, edit.content


def test_a_new_quote_changes_the_tag_of_the_article_that_counts_it(api_client, committed):
    quote = committed(QuoteFactory)
    url = reverse("article-detail", args=[quote.article_id])
    tag = api_client.get(url)["ETag"]
    committed(lambda: QuoteFactory(article=quote.article, text="Nothing else was announced."))
    response = api_client.get(url, HTTP_IF_NONE_MATCH=tag)
    assert response.status_code == 200 and response.json()["quote_count"] == 2


def test_each_format_and_query_has_its_own_tag(api_client, committed):
    committed(lambda: QuoteFactory.create_batch(2))
    url = reverse("quote-list")
    json_tag = api_client.get(url)["ETag"]
    csv_tag = api_client.get(url, HTTP_ACCEPT="text/csv")["ETag"]
    filtered_tag = api_client.get(url, {"kind": "direct"})["ETag"]
    assert len({json_tag, csv_tag, filtered_tag}) == 3
    assert api_client.get(url, HTTP_ACCEPT="text/csv", HTTP_IF_NONE_MATCH=json_tag).status_code == 200
    assert api_client.get(url, HTTP_ACCEPT="text/csv", HTTP_IF_NONE_MATCH=csv_tag).status_code == 304


def test_a_deleted_record_is_404_not_304(api_client, curator_client, committed):
    expert = committed(ExpertFactory)
    url = reverse("expert-detail", args=[expert.pk])
    tag = api_client.get(url)["ETag"]
    committed(lambda: curator_client.delete(url))
    assert api_client.get(url, HTTP_IF_NONE_MATCH=tag).status_code == 404


def test_if_modified_since_answers_304_until_the_next_change(api_client, committed):
    committed(QuoteFactory)
    stamp_moved_long_ago()
    url = reverse("quote-list")
    response = api_client.get(url)
    # The change at 12:00:00.25 is dated by the second after it, so a later change that second is newer.
    assert response["Last-Modified"] == http_date(
        datetime.datetime(2026, 1, 1, 12, 0, 1, tzinfo=datetime.UTC).timestamp()
    )
    assert api_client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304

    committed(lambda: Quote.objects.get().delete())
    assert api_client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 200


def test_no_last_modified_within_the_second_of_the_latest_change(api_client, committed, monkeypatch):
    committed(QuoteFactory)
    # The read comes in the very instant of the change: a real clock may have passed the second meanwhile.
    changed_at = current_stamp().changed_at
    monkeypatch.setattr("corpus_app.api.conditional.timezone.now", lambda: changed_at)
    response = api_client.get(reverse("quote-list"))
    assert "ETag" in response and "Last-Modified" not in response


def test_the_browsable_api_has_no_tags(client, committed):
    committed(QuoteFactory)
    response = client.get(reverse("quote-list"), HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and "ETag" not in response


def test_if_modified_since_is_ignored_where_a_date_cannot_vouch_for_the_answer(api_client, committed):
    """A date may come from another URL: a record, a filtered list or a date to come get a full answer."""
    quote = committed(QuoteFactory)
    stamp_moved_long_ago()
    future = http_date(datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC).timestamp())
    past_change = http_date(datetime.datetime(2026, 1, 1, 12, 0, 1, tzinfo=datetime.UTC).timestamp())
    assert api_client.get(reverse("quote-list"), HTTP_IF_MODIFIED_SINCE=future).status_code == 200
    assert (
        api_client.get(reverse("quote-detail", args=[quote.pk + 1]), HTTP_IF_MODIFIED_SINCE=past_change).status_code
        == 404
    )
    assert (
        api_client.get(reverse("quote-list"), {"cursor": "zzz"}, HTTP_IF_MODIFIED_SINCE=past_change).status_code == 400
    )
    assert api_client.get(reverse("quote-list"), HTTP_IF_MODIFIED_SINCE=past_change).status_code == 304
