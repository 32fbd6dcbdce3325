"""Mirroring the corpus: `?updated_since=` on every list and /api/deletions/ keep a copy exact."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from corpus_app.models import Article, Expert, Outlet, ParticipantRole, Quote, Visit
from corpus_app.provenance import quote_digest
from corpus_app.sync import sync_point
from tests.factories import (
    ArticleFactory,
    CityFactory,
    QuoteFactory,
    VisitFactory,
    VisitParticipantFactory,
    body_quoting,
    sample_corpus,
)

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


def natural_key_of(kind: str, row: dict) -> tuple:
    """A record's natural key, as the feed and fixtures name it, from its row in a list."""
    if kind == "quote":
        return (row["article"]["slug"], quote_digest(row["text"]))
    if kind == "visitparticipant":
        return (row["visit"]["slug"], row["person"]["slug"], row["role"])
    return (row["slug"],)


class Mirror:
    """What a client keeps: every record by kind and id, brought up to date a round at a time, deletions first
    (as the README's loop does)."""

    deletions_last = False

    def __init__(self, client):
        self.client, self.since, self.records, self.fetched = client, None, {kind: {} for kind in LISTS}, {}

    @staticmethod
    def key_of(kind, row):
        return row["id"]

    def sync(self):
        feed = {"since": self.since or EPOCH}
        next_since = self.client.get(reverse("deletions"), feed).json()["next_since"]
        deletions = every_page(self.client, reverse("deletions"), feed)
        if not self.deletions_last:
            self.delete(deletions)
        params = {"updated_since": self.since} if self.since else {}
        for kind in LISTS:
            rows = every_page(self.client, reverse(f"{kind}-list"), params)
            self.fetched[kind] = {row["id"] for row in rows}
            for row in rows:
                self.forget(kind, row["id"])  # under its old key, if it was renamed
                self.records[kind][self.key_of(kind, row)] = row
        if self.deletions_last:
            self.delete(deletions)
        self.since = next_since

    def delete(self, deletions):
        for deletion in deletions:
            self.forget(deletion["type"], deletion["id"])

    def forget(self, kind, pk):
        self.records[kind].pop(pk, None)


class NaturalKeyMirror(Mirror):
    """A client keeping records by natural key (as fixtures and archives name them) that applies a round's
    deletions after its changes: by natural key when the feed gives one, by id when it gives none."""

    deletions_last = True

    key_of = staticmethod(natural_key_of)

    def delete(self, deletions):
        for deletion in deletions:
            if deletion["natural_key"] is None:
                self.forget(deletion["type"], deletion["id"])
            else:
                self.records[deletion["type"]].pop(tuple(deletion["natural_key"]), None)

    def forget(self, kind, pk):
        for key in [key for key, row in self.records[kind].items() if row["id"] == pk]:
            del self.records[kind][key]


def fresh_copy(client, mirror_class=Mirror):
    key_of = mirror_class.key_of
    return {kind: {key_of(kind, row): row for row in every_page(client, reverse(f"{kind}-list"))} for kind in LISTS}


@pytest.mark.parametrize("mirror_class", [Mirror, NaturalKeyMirror])
def test_a_mirror_kept_by_rounds_equals_a_fresh_copy_through_edits_renames_and_deletions(
    api_client, settings, mirror_class
):
    settings.SYNC_OVERLAP_SECONDS = 0  # no overlap: each round fetches only what changed since the last
    corpus = sample_corpus()
    mirror = mirror_class(api_client)
    mirror.sync()
    assert mirror.records == fresh_copy(api_client, mirror_class)

    analyst = Expert.objects.get(slug="elkhan-shahinoglu")
    analyst.name = "Elxan Şahinoğlu"  # shown in each of his quotes and in no record of his visits
    analyst.save()
    outlet = corpus.outlets[0]
    outlet.name = "Turan News Agency"  # shown in its articles
    outlet.save()
    QuoteFactory(speaker=corpus.experts[2], text="The minister arrived.")  # his counts move
    Quote.objects.filter(article=corpus.articles[3]).first().delete()  # counts of the article and expert move
    corpus.visits[0].participations.filter(role=ParticipantRole.MET).delete()  # the visit shows its participants
    spring = Visit.objects.get(slug="visit-spring")
    spring.cities.remove(corpus.cities[1])  # its cities, and Ganja's visit count
    corpus.cities[1].delete()
    mirror.sync()

    assert mirror.records == fresh_copy(api_client, mirror_class)
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
    assert mirror.records == fresh_copy(api_client, mirror_class)

    # Keys freed by a deletion and taken by a live record: by a record made again, or by a rename.
    quote = Quote.objects.filter(article=corpus.articles[0]).first()
    quote.delete()
    QuoteFactory(article=quote.article, speaker=quote.speaker, text=quote.text)  # a new id, the same key
    yerevan = corpus.cities[2]
    autumn.cities.remove(yerevan)
    yerevan.delete()
    CityFactory(name="Yerevan", slug="yerevan", country="AM")
    weekly, caliber = corpus.outlets[2], Outlet.objects.get(slug="caliber")
    weekly.delete()
    caliber.slug = weekly.slug  # renamed to the key its deleted namesake had
    caliber.save()
    host = autumn.participations.get(role=ParticipantRole.MET)
    host.delete()
    VisitParticipantFactory(visit=autumn, person=host.person, role=host.role, office=host.office)
    mirror.sync()
    fresh = fresh_copy(api_client, mirror_class)
    assert {kind for kind in LISTS if mirror.records[kind] != fresh[kind]} == set()


def test_a_deleted_record_is_in_the_feed_with_its_natural_key_until_it_is_restored(api_client):
    quote = QuoteFactory()
    pk, article_slug, digest = quote.pk, quote.article.slug, quote.text_digest
    before = timezone.now() - datetime.timedelta(seconds=1)
    quote.delete()
    body = api_client.get(reverse("deletions"), {"since": before.isoformat(), "type": "quote"}).json()
    listed = [(d["type"], d["id"], d["natural_key"], d["key_now_held"]) for d in body["results"]]
    assert listed == [("quote", pk, [article_slug, digest], False)]

    Quote.history.filter(id=pk, history_type="-").latest("history_date").instance.save()  # reverted from history
    assert api_client.get(reverse("deletions"), {"since": before.isoformat()}).json()["results"] == []
    restored = api_client.get(reverse("quote-list"), {"updated_since": before.isoformat()}).json()["results"]
    assert [row["id"] for row in restored] == [pk], "a mirror that deleted it gets it back"


def feed(client, since, **params) -> list[tuple]:
    body = client.get(reverse("deletions"), {"since": since.isoformat(), **params}).json()
    return [(d["type"], d["id"], d["natural_key"], d["key_now_held"]) for d in body["results"]]


def test_a_deletion_whose_key_a_live_record_took_is_listed_without_it(api_client):
    """Deleted, then a live record of its kind took its natural key: listed by id, key null, `key_now_held`."""
    before = timezone.now() - datetime.timedelta(seconds=1)
    first, second = CityFactory(slug="ganja", name="Ganja"), CityFactory(slug="gyandzha", name="Gyandzha")
    pks = [first.pk, second.pk]
    first.delete()
    second.slug = "ganja"  # the key taken by a rename
    second.save()
    second.delete()
    assert feed(api_client, before) == [("city", pk, ["ganja"], False) for pk in pks]
    CityFactory(slug="ganja", name="Gəncə")  # and by a new record
    assert feed(api_client, before) == [("city", pk, None, True) for pk in pks]

    # A quote's key names its article by slug: the article's latest, deleted too, or a new one of that slug.
    quote = QuoteFactory(article=ArticleFactory(slug="lavrov-in-baku"))
    pk, digest = quote.pk, quote.text_digest
    quote.delete()
    quote.article.delete()
    assert feed(api_client, before, type="quote") == [("quote", pk, ["lavrov-in-baku", digest], False)]
    QuoteFactory(article=ArticleFactory(slug="lavrov-in-baku"), text=quote.text)
    assert feed(api_client, before, type="quote") == [("quote", pk, None, True)]

    # A participation's key names its visit and person by slug; the role is part of it.
    role = VisitParticipantFactory(role=ParticipantRole.VISITOR)
    pk, key = role.pk, [role.visit.slug, role.person.slug, "visitor"]
    role.delete()
    VisitParticipantFactory(visit=role.visit, person=role.person, role=ParticipantRole.MET)
    assert feed(api_client, before, type="visitparticipant") == [("visitparticipant", pk, key, False)]
    VisitParticipantFactory(visit=role.visit, person=role.person, role=ParticipantRole.VISITOR)
    assert feed(api_client, before, type="visitparticipant") == [("visitparticipant", pk, None, True)]


def test_the_feed_reads_a_fixed_number_of_queries_whatever_its_rows(api_client, count_queries):
    """Natural keys and whether they are held come with each kind's entries: no query per row."""
    url = reverse("deletions")

    def delete_some(each):
        for _ in range(each):
            quote = QuoteFactory()
            participation = VisitParticipantFactory()
            CityFactory().delete()
            quote.delete()
            participation.delete()

    delete_some(1)
    few = count_queries(lambda: api_client.get(url, {"since": EPOCH}))
    delete_some(5)
    assert count_queries(lambda: api_client.get(url, {"since": EPOCH})) == few


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


def test_the_feed_as_csv_keeps_its_next_page_and_next_since_in_headers(api_client):
    """A CSV answer's rows are the results alone: the headers carry what a client needs to go on."""
    visits = VisitFactory.create_batch(3)
    Visit.objects.filter(pk__in=[visit.pk for visit in visits]).delete()
    response = api_client.get(reverse("deletions"), {"since": EPOCH, "page_size": 2, "format": "csv"})
    assert response.status_code == 200 and response.content.decode().count("\r\n") == 3  # a header, two rows
    assert response["X-Next-Since"] and 'rel="next"' in response["Link"]
    following = api_client.get(response["Link"].split(">")[0].lstrip("<"))
    assert following.content.decode().count("\r\n") == 2 and "Link" not in following


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
