import pytest
from django.urls import reverse
from rest_framework import status

from corpus_app.models import Article, Expert, Quote, Visit

pytestmark = pytest.mark.django_db

LIST = reverse("quote-list")


def results(response):
    assert response.status_code == status.HTTP_200_OK, response.content
    return response.json()["results"]


def test_a_quote_embeds_its_speaker_article_and_visit(api_client, corpus):
    quote = Quote.objects.get(text__startswith="I hope that progress")
    body = api_client.get(reverse("quote-detail", args=[quote.pk])).json()
    assert body["text"] == "I hope that progress will be made"
    assert body["speaker"] == {"id": quote.speaker_id, "slug": "sergei-lavrov", "name": "Sergei Lavrov"}
    assert body["article"] == {
        "id": quote.article_id,
        "slug": "why-lavrov-flew-to-aliyev",
        "title": "Why Lavrov flew to Aliyev?",
        "published_date": "2016-01-01",
        "published_date_precision": "year",
    }
    assert body["visit"]["slug"] == "lavrov-azerbaijan-2016"
    assert body["visit"]["start_date"] == "2016-01-01"
    assert body["kind"] == "direct" and isinstance(body["position"], int)


def test_filter_by_speaker_article_visit_and_kind(api_client, corpus):
    shahinoglu = Expert.objects.get(slug="elkhan-shahinoglu")
    assert len(results(api_client.get(LIST, {"speaker": shahinoglu.pk}))) == 5
    article = Article.objects.get(slug="turan-2020-11-23-lavrov-shoigu-yerevan-baku")
    assert len(results(api_client.get(LIST, {"article": article.pk}))) == 5
    visit = Visit.objects.get(slug="lavrov-azerbaijan-2023-02")
    assert len(results(api_client.get(LIST, {"visit": visit.pk}))) == 5
    assert len(results(api_client.get(LIST, {"kind": "paraphrase"}))) == 0
    assert len(results(api_client.get(LIST, {"kind": "direct", "page_size": 100}))) == 30


def test_filter_by_the_quoting_articles_date_range(api_client, corpus):
    found = results(api_client.get(LIST, {"published_after": "2023-01-01", "published_before": "2023-12-31"}))
    assert {q["article"]["slug"] for q in found} == {
        "today-az-2023-02-27-lavrov-baku-visit-pivotal",
        "caliber-az-2023-03-01-moscow-convenient-baku",
    }
    assert len(found) == 6


def test_filter_by_speaker_kind(api_client, corpus):
    found = results(api_client.get(LIST, {"speaker_kind": "legislator", "page_size": 100}))
    assert {q["speaker"]["slug"] for q in found} == {
        "rasim-musabekov",
        "zahid-oruj",
        "sabir-rustamkhanli",
        "eldar-ibrahimov",
    }


def test_an_unknown_filter_value_is_400_naming_the_parameter(api_client, corpus):
    response = api_client.get(LIST, {"speaker": 999999})
    assert response.status_code == status.HTTP_400_BAD_REQUEST
    assert "speaker" in response.json()
    assert api_client.get(LIST, {"published_after": "yesterday"}).status_code == status.HTTP_400_BAD_REQUEST


def test_search_covers_quote_text_and_alternate_spellings_of_speakers(api_client, corpus):
    assert len(results(api_client.get(LIST, {"search": "Daghlig Garabagh"}))) == 1
    by_spelling = results(api_client.get(LIST, {"search": "Shainoglu"}))
    assert {q["speaker"]["slug"] for q in by_spelling} == {"elkhan-shahinoglu"}
    assert len(by_spelling) == 5


def test_default_order_is_reading_order_within_an_article(api_client, corpus):
    article = Article.objects.get(slug="why-lavrov-flew-to-aliyev")
    positions = [q["position"] for q in results(api_client.get(LIST, {"article": article.pk}))]
    assert positions == sorted(positions)


def test_ordering_by_speaker_name_and_article_date(api_client, corpus):
    names = [
        q["speaker"]["name"] for q in results(api_client.get(LIST, {"ordering": "speaker__name", "page_size": 100}))
    ]
    assert names == sorted(names)
    dates = [
        q["article"]["published_date"]
        for q in results(api_client.get(LIST, {"ordering": "-article__published_date", "page_size": 100}))
    ]
    assert dates == sorted(dates, reverse=True)


def test_create_defaults_the_visit_to_the_articles_only_visit(curator_client, corpus):
    article = Article.objects.get(slug="today-az-2023-02-27-lavrov-baku-visit-pivotal")
    speaker = Expert.objects.get(slug="samir-humbatov")
    response = curator_client.post(
        LIST,
        {
            "article": article.pk,
            "speaker": speaker.pk,
            "kind": "paraphrase",
            "text": "Lavrov's visit to Azerbaijan is necessitated by Armenia's approach to the West",
        },
        format="json",
    )
    assert response.status_code == status.HTTP_201_CREATED, response.json()
    body = response.json()
    assert body["visit"]["slug"] == "lavrov-azerbaijan-2023-02"
    assert body["speaker"]["name"] == "Samir Humbatov"
    assert article.body[body["position"] :].startswith("Lavrov's visit to Azerbaijan is necessitated")


def test_create_refuses_text_that_is_not_in_the_article(curator_client, corpus):
    article = Article.objects.get(slug="why-lavrov-flew-to-aliyev")
    speaker = Expert.objects.get(slug="sergei-lavrov")
    response = curator_client.post(
        LIST,
        {
            "article": article.pk,
            "speaker": speaker.pk,
            "text": "Azerbaijan will join the Eurasian Union.",
        },
        format="json",
    )
    assert response.status_code == status.HTTP_400_BAD_REQUEST
    assert "does not appear in the article" in response.json()["text"][0]
    assert Quote.objects.count() == 30


def test_create_refuses_a_visit_the_article_does_not_cover(curator_client, corpus):
    article = Article.objects.get(slug="why-lavrov-flew-to-aliyev")
    response = curator_client.post(
        LIST,
        {
            "article": article.pk,
            "speaker": Expert.objects.get(slug="sergei-lavrov").pk,
            "visit": Visit.objects.get(slug="lavrov-azerbaijan-2023-02").pk,
            "text": "Information is pretty scant.",
        },
        format="json",
    )
    assert response.status_code == status.HTTP_400_BAD_REQUEST
    assert "does not cover this visit" in response.json()["visit"][0]


def test_the_same_quote_twice_in_an_article_is_refused(curator_client, corpus):
    quote = Quote.objects.get(text__startswith="I hope that progress")
    response = curator_client.post(
        LIST,
        {
            "article": quote.article_id,
            "speaker": quote.speaker_id,
            "text": "I hope that  progress will be made",
        },
        format="json",
    )
    assert response.status_code == status.HTTP_400_BAD_REQUEST
    assert "already has this quote" in str(response.json())


def test_a_write_with_an_unknown_speaker_id_is_400(curator_client, corpus):
    quote = Quote.objects.first()
    response = curator_client.patch(reverse("quote-detail", args=[quote.pk]), {"speaker": 999999}, format="json")
    assert response.status_code == status.HTTP_400_BAD_REQUEST
    assert "speaker" in response.json()


def test_patch_moves_a_quote_to_another_speaker(curator_client, corpus):
    quote = Quote.objects.get(text__startswith="has started an active policy")
    other = Expert.objects.get(slug="elkhan-shahinoglu")
    response = curator_client.patch(reverse("quote-detail", args=[quote.pk]), {"speaker": other.pk}, format="json")
    assert response.status_code == status.HTTP_200_OK
    assert response.json()["speaker"]["slug"] == "elkhan-shahinoglu"
    quote.refresh_from_db()
    assert quote.speaker == other


def test_list_query_count_does_not_grow_with_page_size(api_client, corpus, count_queries):
    one = count_queries(lambda: api_client.get(LIST, {"page_size": 1}))
    thirty = count_queries(lambda: api_client.get(LIST, {"page_size": 30}))
    assert one == thirty <= 4  # savepoint, count, page, release
