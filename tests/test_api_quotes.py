import datetime

import pytest
from django.urls import reverse
from rest_framework import status

from corpus_app.models import DatePrecision, Quote
from tests.api_responses import results
from tests.factories import ArticleFactory, ExpertFactory, QuoteFactory, VisitFactory, body_quoting, quoted_article

pytestmark = pytest.mark.django_db

LIST = reverse("quote-list")


def ids(response) -> set[int]:
    return {q["id"] for q in results(response)}


def test_a_quote_embeds_its_speaker_article_and_visit(api_client):
    """A quote's read form embeds its speaker, its article and its visit, with their partial dates."""
    visit = VisitFactory(
        slug="lavrov-azerbaijan-2015", start_date=datetime.date(2015, 4, 1), start_date_precision=DatePrecision.YEAR
    )
    article = ArticleFactory(
        slug="why-lavrov-flew-to-aliyev",
        title="Why Lavrov flew to Aliyev?",
        published_date=datetime.date(2015, 5, 17),
        published_date_precision=DatePrecision.YEAR,
        visits=[visit],
        body=body_quoting("I hope that progress will be made"),
    )
    speaker = ExpertFactory(name="Sergei Lavrov", slug="sergei-lavrov")
    quote = QuoteFactory(article=article, speaker=speaker, text="I hope that progress will be made")

    body = api_client.get(reverse("quote-detail", args=[quote.pk])).json()
    assert body["text"] == "I hope that progress will be made"
    assert body["speaker"] == {"id": speaker.pk, "slug": "sergei-lavrov", "name": "Sergei Lavrov"}
    assert body["article"] == {
        "id": article.pk,
        "slug": "why-lavrov-flew-to-aliyev",
        "title": "Why Lavrov flew to Aliyev?",
        "published_date": "2015-01-01",
        "published_date_precision": "year",
    }
    assert body["visit"]["slug"] == "lavrov-azerbaijan-2015"
    assert body["visit"]["start_date"] == "2015-01-01"
    assert body["kind"] == "direct"
    assert body["position"] == article.body.index("I hope that progress")


def test_filter_by_speaker_article_visit_and_kind(api_client):
    """Quotes filter by speaker, article, visit and kind, each keeping only the matching quotes."""
    speaker, other_speaker = ExpertFactory(), ExpertFactory()
    visit = VisitFactory()
    covering = ArticleFactory(visits=[visit])
    by_speaker_on_visit = QuoteFactory(article=covering, speaker=speaker)
    by_other_on_visit = QuoteFactory(article=covering, speaker=other_speaker, text="The minister arrived.")
    paraphrase_elsewhere = QuoteFactory(speaker=speaker, kind="paraphrase")

    assert ids(api_client.get(LIST, {"speaker": speaker.pk})) == {by_speaker_on_visit.pk, paraphrase_elsewhere.pk}
    assert ids(api_client.get(LIST, {"article": covering.pk})) == {by_speaker_on_visit.pk, by_other_on_visit.pk}
    assert ids(api_client.get(LIST, {"visit": visit.pk})) == {by_speaker_on_visit.pk, by_other_on_visit.pk}
    assert ids(api_client.get(LIST, {"kind": "paraphrase"})) == {paraphrase_elsewhere.pk}
    assert ids(api_client.get(LIST, {"kind": "direct"})) == {by_speaker_on_visit.pk, by_other_on_visit.pk}
    assert ids(api_client.get(LIST, {"speaker": speaker.pk, "kind": "direct"})) == {by_speaker_on_visit.pk}


def test_filter_by_the_quoting_articles_date_range(api_client):
    """published_after/published_before select quotes by the date of the article that quotes them (inclusive)."""
    speaker = ExpertFactory()
    in_2023 = quoted_article(
        (speaker, "The minister arrived."), (speaker, "We expect progress,"), published_date=datetime.date(2023, 2, 27)
    )
    on_the_last_day = quoted_article((speaker, "We expect progress,"), published_date=datetime.date(2023, 12, 31))
    quoted_article((speaker, "We expect progress,"), published_date=datetime.date(2022, 12, 31))
    quoted_article((speaker, "We expect progress,"), published_date=datetime.date(2024, 1, 1))

    found = results(api_client.get(LIST, {"published_after": "2023-01-01", "published_before": "2023-12-31"}))
    assert sorted(q["article"]["id"] for q in found) == sorted([in_2023.pk, in_2023.pk, on_the_last_day.pk])


def test_filter_by_speaker_kind(api_client):
    """speaker_kind keeps the quotes of speakers of that kind only."""
    legislator, analyst = ExpertFactory(legislator=True), ExpertFactory()
    by_legislator = QuoteFactory(speaker=legislator)
    QuoteFactory(speaker=analyst)
    found = results(api_client.get(LIST, {"speaker_kind": "legislator"}))
    assert [(q["id"], q["speaker"]["id"]) for q in found] == [(by_legislator.pk, legislator.pk)]


def test_an_id_filter_naming_no_record_matches_nothing_and_a_malformed_one_is_400(api_client):
    """An id that names no record is an empty page (as the schema promises); a malformed value is 400."""
    QuoteFactory()
    assert api_client.get(LIST, {"speaker": 999999}).json()["results"] == []
    for malformed in ("1.9", "abc", "-3", str(2**63)):
        response = api_client.get(LIST, {"speaker": malformed})
        assert response.status_code == status.HTTP_400_BAD_REQUEST, malformed
        assert "speaker" in response.json()
    assert api_client.get(LIST, {"published_after": "yesterday"}).status_code == status.HTTP_400_BAD_REQUEST


def test_search_covers_quote_text_and_alternate_spellings_of_speakers(api_client):
    """Search finds quotes by their words and by any spelling of their speaker's name, non-ASCII included."""
    shahinoglu = ExpertFactory(name="Elkhan Shahinoglu", alternate_names=["Elhan Shainoglu", "Shainoglu"])
    shoigu = ExpertFactory(name="Sergey Shoigu", alternate_names=["Sergey Şoyqu"])
    other = ExpertFactory(name="Zahid Oruj")
    karabakh = "Daghlig Garabagh is Azerbaijan."
    article = quoted_article((other, karabakh), (shahinoglu, "The minister arrived."), (shoigu, "We expect progress,"))
    by_shahinoglu_elsewhere = QuoteFactory(speaker=shahinoglu)

    assert [q["text"] for q in results(api_client.get(LIST, {"search": "Daghlig Garabagh"}))] == [karabakh]
    by_spelling = results(api_client.get(LIST, {"search": "Shainoglu"}))
    assert {q["id"] for q in by_spelling} == {
        article.quotes.get(speaker=shahinoglu).pk,
        by_shahinoglu_elsewhere.pk,
    }
    assert [q["speaker"]["name"] for q in results(api_client.get(LIST, {"search": "Şoyqu"}))] == ["Sergey Shoigu"]


def test_default_order_is_reading_order_within_an_article(api_client):
    """Without an ordering, an article's quotes come in the order they appear in its body."""
    article = ArticleFactory()
    later = QuoteFactory(article=article, text="Nothing else was announced.")
    earlier = QuoteFactory(article=article, text="The minister arrived.")
    found = results(api_client.get(LIST, {"article": article.pk}))
    assert [q["id"] for q in found] == [earlier.pk, later.pk]
    assert found[0]["position"] < found[1]["position"]


@pytest.mark.parametrize("ordering", ["speaker__name", "-article__published_date", "position", "text"])
def test_orderings_no_index_serves_are_refused(api_client, ordering):
    """An ordering across a join (or on a column without its index) is a 400 naming the ones offered."""
    QuoteFactory()
    response = api_client.get(LIST, {"ordering": ordering})
    assert response.status_code == status.HTTP_400_BAD_REQUEST
    assert "reading_order" in response.json()["ordering"][0]


def test_reading_order_descending_reverses_it(api_client):
    """ordering=-reading_order lists the last article's last quote first."""
    article = ArticleFactory()
    first = QuoteFactory(article=article, text="The minister arrived.")
    second = QuoteFactory(article=article, text="Nothing else was announced.")
    later_article_quote = QuoteFactory()
    found = [q["id"] for q in results(api_client.get(LIST, {"ordering": "-reading_order"}))]
    assert found == [later_article_quote.pk, second.pk, first.pk]


def test_create_defaults_the_visit_to_the_articles_only_visit(curator_client):
    """A new quote without a visit gets its article's visit when the article covers exactly one."""
    text = "Lavrov's visit to Azerbaijan is necessitated by Armenia's approach to the West"
    visit = VisitFactory(slug="lavrov-azerbaijan-2023-02")
    article = ArticleFactory(visits=[visit], body=body_quoting(text))
    speaker = ExpertFactory(name="Samir Humbatov")
    response = curator_client.post(
        LIST, {"article": article.pk, "speaker": speaker.pk, "kind": "paraphrase", "text": text}, format="json"
    )
    assert response.status_code == status.HTTP_201_CREATED, response.json()
    body = response.json()
    assert body["visit"]["slug"] == "lavrov-azerbaijan-2023-02"
    assert body["speaker"]["name"] == "Samir Humbatov"
    assert article.body[body["position"] :].startswith("Lavrov's visit to Azerbaijan is necessitated")


def test_create_refuses_text_that_is_not_in_the_article(curator_client):
    """A quote whose text is not in its article's body is 400 and nothing is saved."""
    article = ArticleFactory()
    response = curator_client.post(
        LIST,
        {"article": article.pk, "speaker": ExpertFactory().pk, "text": "Azerbaijan will join the Eurasian Union."},
        format="json",
    )
    assert response.status_code == status.HTTP_400_BAD_REQUEST
    assert "does not appear in the article" in response.json()["text"][0]
    assert not Quote.objects.exists()


def test_create_refuses_a_visit_the_article_does_not_cover(curator_client):
    """A quote may only be tied to a visit its article covers."""
    article = ArticleFactory(visits=[VisitFactory()])
    response = curator_client.post(
        LIST,
        {
            "article": article.pk,
            "speaker": ExpertFactory().pk,
            "visit": VisitFactory().pk,
            "text": "We expect progress,",
        },
        format="json",
    )
    assert response.status_code == status.HTTP_400_BAD_REQUEST
    assert "does not cover this visit" in response.json()["visit"][0]
    assert not Quote.objects.exists()


def test_the_same_quote_twice_in_an_article_is_refused(curator_client):
    """A quote differing from one of its article's quotes only in white space is a duplicate: 400."""
    quote = QuoteFactory(text="We expect progress,")
    response = curator_client.post(
        LIST, {"article": quote.article_id, "speaker": quote.speaker_id, "text": "We  expect\nprogress,"}, format="json"
    )
    assert response.status_code == status.HTTP_400_BAD_REQUEST
    assert "already has this quote" in str(response.json())
    assert Quote.objects.count() == 1


def test_a_write_with_an_unknown_speaker_id_is_400(curator_client):
    """Naming a speaker id that does not exist is 400 on that field."""
    quote = QuoteFactory()
    response = curator_client.patch(reverse("quote-detail", args=[quote.pk]), {"speaker": 999999}, format="json")
    assert response.status_code == status.HTTP_400_BAD_REQUEST
    assert "speaker" in response.json()


def test_patch_moves_a_quote_to_another_speaker(curator_client):
    """PATCH with another speaker's id reattributes the quote."""
    quote = QuoteFactory()
    other = ExpertFactory(slug="elkhan-shahinoglu")
    response = curator_client.patch(reverse("quote-detail", args=[quote.pk]), {"speaker": other.pk}, format="json")
    assert response.status_code == status.HTTP_200_OK
    assert response.json()["speaker"]["slug"] == "elkhan-shahinoglu"
    quote.refresh_from_db()
    assert quote.speaker == other
