"""Mirroring the corpus: `?updated_since=` on every list and /api/deletions/ keep a copy exact."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from corpus_app.models import Article, Expert, Quote, Visit
from corpus_app.sync import sync_point
from tests.factories import QuoteFactory, VisitFactory, body_quoting, sample_corpus

pytestmark = pytest.mark.django_db

LISTS = ("article", "visit", "visitparticipant", "expert", "quote", "outlet", "city")
EPOCH = "1970-01-01T00:00:00Z"


def every_page(client, url, params=None):
    rows, params = [], {**(params or {}), "page_size": 500}
    while url:
        response = client.get(url, params)
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        rows += body["results"]
        url, params = body["next"], None
    return rows


class Mirror:
    """What a client keeps: every record by kind and id, brought up to date a round at a time."""

    def __init__(self, client):
        self.client, self.since, self.records, self.fetched = client, None, {kind: {} for kind in LISTS}, {}

    def sync(self):
        first = self.client.get(reverse("deletions"), {"since": self.since or EPOCH})
        next_since = first.json()["next_since"]
        for deletion in every_page(self.client, reverse("deletions"), {"since": self.since or EPOCH}):
            self.records[deletion["type"]].pop(deletion["id"], None)
        params = {"updated_since": self.since} if self.since else {}
        for kind in LISTS:
            rows = every_page(self.client, reverse(f"{kind}-list"), params)
            self.fetched[kind] = {row["id"] for row in rows}
            self.records[kind].update((row["id"], row) for row in rows)
        self.since = next_since


def fresh_copy(client):
    return {kind: {row["id"]: row for row in every_page(client, reverse(f"{kind}-list"))} for kind in LISTS}


def test_a_mirror_kept_by_rounds_equals_a_fresh_copy_through_edits_renames_and_deletions(api_client, settings):
    settings.SYNC_OVERLAP_SECONDS = 0  # no overlap: each round fetches only what changed since the last
    corpus = sample_corpus()
    mirror = Mirror(api_client)
    mirror.sync()
    assert mirror.records == fresh_copy(api_client)

    analyst = Expert.objects.get(slug="elkhan-shahinoglu")
    analyst.name = "Elxan Şahinoğlu"  # shown in each of his quotes and in no record of his visits
    analyst.save()
    outlet = corpus.outlets[0]
    outlet.name = "Turan News Agency"  # shown in its articles
    outlet.save()
    QuoteFactory(speaker=corpus.experts[2], text="The minister arrived.")  # his counts move
    Quote.objects.filter(article=corpus.articles[3]).first().delete()  # counts of the article and expert move
    corpus.visits[0].participations.filter(role="host").delete()  # the visit shows its participants
    spring = Visit.objects.get(slug="visit-spring")
    spring.cities.remove(corpus.cities[1])  # its cities, and Ganja's visit count
    corpus.cities[1].delete()
    mirror.sync()

    assert mirror.records == fresh_copy(api_client)
    untouched = Expert.objects.get(slug="zahid-oruj")
    assert untouched.pk not in mirror.fetched["expert"], "only what changed is fetched again"
    assert {q.pk for q in analyst.quotes.all()} <= mirror.fetched["quote"]

    # A visit renamed: its quotes, articles and participations show its title.
    autumn = Visit.objects.get(slug="visit-autumn")
    autumn.title = "Autumn visit to Baku"
    autumn.save()
    article = Article.objects.get(pk=corpus.articles[0].pk)
    article.title = "A new headline"
    article.save()
    mirror.sync()
    assert mirror.records == fresh_copy(api_client)


def test_a_deleted_record_is_in_the_feed_with_its_natural_key_until_it_is_restored(api_client):
    quote = QuoteFactory()
    pk, article_slug, digest = quote.pk, quote.article.slug, quote.text_digest
    before = timezone.now() - datetime.timedelta(seconds=1)
    quote.delete()
    body = api_client.get(reverse("deletions"), {"since": before.isoformat(), "type": "quote"}).json()
    assert [(d["type"], d["id"], d["natural_key"]) for d in body["results"]] == [("quote", pk, [article_slug, digest])]

    Quote.history.filter(id=pk, history_type="-").latest("history_date").instance.save()  # reverted from history
    assert api_client.get(reverse("deletions"), {"since": before.isoformat()}).json()["results"] == []
    restored = api_client.get(reverse("quote-list"), {"updated_since": before.isoformat()}).json()["results"]
    assert [row["id"] for row in restored] == [pk], "a mirror that deleted it gets it back"


def test_the_feed_pages_oldest_first_and_refuses_what_it_does_not_take(api_client):
    visits = [visit.pk for visit in VisitFactory.create_batch(3)]
    Visit.objects.filter(pk__in=visits).delete()
    url = reverse("deletions")
    first = api_client.get(url, {"since": EPOCH, "page_size": 2}).json()
    second = api_client.get(first["next"]).json()
    listed = first["results"] + second["results"]
    assert sorted(d["id"] for d in listed) == sorted(visits)
    assert [d["deleted_at"] for d in listed] == sorted(d["deleted_at"] for d in listed)
    assert second["next"] is None
    assert api_client.get(url).json().keys() == {"since"}  # since is required
    assert "cursor" in api_client.get(url, {"since": EPOCH, "cursor": "forged"}).json()
    assert api_client.get(url, {"since": EPOCH, "type": "user"}).status_code == 400
    assert api_client.get(url, {"since": EPOCH, "speaker": 1}).status_code == 400


def test_updated_since_is_checked_and_the_article_body_moves_its_quotes(api_client):
    assert "updated_since" in api_client.get(reverse("quote-list"), {"updated_since": "yesterday"}).json()
    quote = QuoteFactory(text="We expect progress,")
    since = timezone.now()
    article = quote.article
    article.body = "A first sentence was added. " + body_quoting("We expect progress,")
    article.save()  # the quote's position in it moved
    rows = api_client.get(reverse("quote-list"), {"updated_since": since.isoformat()}).json()["results"]
    assert [row["id"] for row in rows] == [quote.pk]


def test_the_next_since_goes_back_by_the_overlap(settings):
    settings.SYNC_OVERLAP_SECONDS = 120
    assert sync_point() <= timezone.now() - datetime.timedelta(seconds=120)


@pytest.mark.postgres
def test_the_next_since_goes_back_to_the_start_of_a_write_not_yet_committed(settings):
    """A row stamped inside a transaction that commits after a client read is not skipped next round."""
    import psycopg2

    settings.SYNC_OVERLAP_SECONDS = 0
    params = connection.get_connection_params()
    other = psycopg2.connect(**params)
    try:
        with other.cursor() as cursor:
            cursor.execute("BEGIN; SELECT now(); ")
            (started,) = cursor.fetchone()
            cursor.execute("CREATE TEMPORARY TABLE pending_write (id int)")  # the transaction now writes
            assert sync_point() <= started
    finally:
        other.rollback()
        other.close()


def test_a_time_with_any_offset_python_reads_is_a_time_or_a_400_never_a_500(api_client):
    """PostgreSQL refuses offsets beyond ±15:59; the time is sent in UTC (found by the fuzz test)."""
    quotes, deletions = reverse("quote-list"), reverse("deletions")
    assert api_client.get(quotes, {"updated_since": "7789-03-02T19:26:04-17:30"}).status_code == 200
    assert "updated_since" in api_client.get(quotes, {"updated_since": "9999-12-31T23:59:59-17:30"}).json()
    assert api_client.get(deletions, {"since": "7789-03-02T19:26:04-17:30"}).status_code == 200
    assert api_client.get(deletions, {"since": "9999-12-31T23:59:59-17:30"}).status_code == 400
