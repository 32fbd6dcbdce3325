import pytest
from django.urls import reverse
from rest_framework import status

from corpus_app.models import Article, Expert, Outlet, Visit

pytestmark = pytest.mark.django_db

LIST = reverse("article-list")


def results(response):
    assert response.status_code == status.HTTP_200_OK, response.content
    return response.json()["results"]


def slugs(response):
    return {a["slug"] for a in results(response)}


def test_an_article_embeds_outlet_visits_and_quote_count(api_client, corpus):
    article = Article.objects.get(slug="today-az-2023-02-27-lavrov-baku-visit-pivotal")
    body = api_client.get(reverse("article-detail", args=[article.pk])).json()
    assert body["outlet"] == {"id": article.outlet_id, "slug": "today-az", "name": "TODAY.AZ"}
    assert [v["slug"] for v in body["visits"]] == ["lavrov-azerbaijan-2023-02"]
    assert body["quote_count"] == 4
    assert (body["published_date"], body["published_time"], body["view_count"]) == ("2023-02-27", "17:59:00", 1105)
    assert body["published_display"] == "27 February 2023"


def test_filters(api_client, corpus):
    turan = Outlet.objects.get(slug="turan")
    assert slugs(api_client.get(LIST, {"outlet": turan.pk})) == {"turan-2020-11-23-lavrov-shoigu-yerevan-baku"}
    visit = Visit.objects.get(slug="lavrov-azerbaijan-2023-02")
    assert slugs(api_client.get(LIST, {"visit": visit.pk})) == {
        "today-az-2023-02-27-lavrov-baku-visit-pivotal",
        "caliber-az-2023-03-01-moscow-convenient-baku",
    }
    shahinoglu = Expert.objects.get(slug="elkhan-shahinoglu")
    quoting = api_client.get(LIST, {"expert": shahinoglu.pk})
    assert slugs(quoting) == {
        "balanced-policy-difficult-for-azerbaijani-government",
        "turan-2020-11-23-lavrov-shoigu-yerevan-baku",
    }
    assert quoting.json()["count"] == 2  # one row per article, however many quotes
    assert slugs(api_client.get(LIST, {"published_before": "2021-01-01"})) == {
        "turan-2020-11-23-lavrov-shoigu-yerevan-baku",
        "why-lavrov-flew-to-aliyev",
    }
    assert len(results(api_client.get(LIST, {"language": "en"}))) == 5
    assert len(results(api_client.get(LIST, {"language": "az"}))) == 0
    assert slugs(api_client.get(LIST, {"section": "politics"})) == {"today-az-2023-02-27-lavrov-baku-visit-pivotal"}


def test_search_titles_and_bodies(api_client, corpus):
    assert slugs(api_client.get(LIST, {"search": "Scene-setter"})) == {"today-az-2023-02-27-lavrov-baku-visit-pivotal"}
    assert slugs(api_client.get(LIST, {"search": "kupiruâ"})) == {"why-lavrov-flew-to-aliyev"}


def test_default_order_is_newest_first_and_ordering_by_quote_count(api_client, corpus):
    dates = [a["published_date"] for a in results(api_client.get(LIST))]
    assert dates == sorted(dates, reverse=True)
    counts = [a["quote_count"] for a in results(api_client.get(LIST, {"ordering": "-quote_count"}))]
    assert counts == [12, 7, 5, 4, 2]


def test_an_articles_quotes_in_reading_order(api_client, corpus):
    article = Article.objects.get(slug="why-lavrov-flew-to-aliyev")
    response = api_client.get(reverse("article-quotes", args=[article.pk]))
    quotes = results(response)
    assert len(quotes) == 12
    assert [q["position"] for q in quotes] == sorted(q["position"] for q in quotes)
    assert api_client.get(reverse("article-quotes", args=[999999])).status_code == status.HTTP_404_NOT_FOUND


def test_create_with_outlet_and_visits_by_id(curator_client, corpus):
    visit = Visit.objects.get(slug="lavrov-azerbaijan-2023-02")
    response = curator_client.post(
        LIST,
        {
            "slug": "new-analysis",
            "title": "New analysis",
            "outlet": Outlet.objects.get(slug="turan").pk,
            "visits": [visit.pk],
            "body": "Lavrov came to Baku.",
            "published_date": "2023-03-02",
            "published_date_precision": "day",
            "url": "https://example.org/new-analysis",
        },
        format="json",
    )
    assert response.status_code == status.HTTP_201_CREATED, response.json()
    body = response.json()
    assert body["outlet"]["name"] == "Turan"
    assert [v["slug"] for v in body["visits"]] == ["lavrov-azerbaijan-2023-02"]
    assert body["quote_count"] == 0


def test_a_body_edit_that_would_strand_quotes_is_refused(curator_client, corpus):
    article = Article.objects.get(slug="why-lavrov-flew-to-aliyev")
    response = curator_client.patch(reverse("article-detail", args=[article.pk]), {"body": "Rewritten."}, format="json")
    assert response.status_code == status.HTTP_400_BAD_REQUEST
    assert "no longer contains these quotes" in response.json()["body"][0]
    article.refresh_from_db()
    assert article.body.startswith("Russian Foreign Minister")


def test_a_duplicate_url_is_refused(curator_client, corpus):
    response = curator_client.post(
        LIST,
        {
            "slug": "copy",
            "title": "Copy",
            "body": "Text.",
            "url": "http://www.today.az/news/politics/232130.html",
        },
        format="json",
    )
    assert response.status_code == status.HTTP_400_BAD_REQUEST
    assert response.json()["url"] == ["article with this source URL already exists."]


def test_a_time_without_a_day_precise_date_is_refused(curator_client, corpus):
    response = curator_client.post(
        LIST,
        {
            "slug": "vague",
            "title": "Vague",
            "body": "Text.",
            "published_date": "2023-03-01",
            "published_date_precision": "month",
            "published_time": "10:00",
        },
        format="json",
    )
    assert response.status_code == status.HTTP_400_BAD_REQUEST
    assert "needs a day-precise publication date" in str(response.json()["non_field_errors"])


def test_deleting_an_article_with_quotes_is_409_and_deletes_nothing(curator_client, corpus):
    article = Article.objects.get(slug="why-lavrov-flew-to-aliyev")
    response = curator_client.delete(reverse("article-detail", args=[article.pk]))
    assert response.status_code == status.HTTP_409_CONFLICT
    assert response.json()["detail"].startswith("Not deleted: 12 quotes still refer to it")
    assert Article.objects.filter(pk=article.pk).exists()
    assert article.quotes.count() == 12


def test_list_query_count_does_not_grow_with_page_size(api_client, corpus, count_queries):
    one = count_queries(lambda: api_client.get(LIST, {"page_size": 1}))
    five = count_queries(lambda: api_client.get(LIST, {"page_size": 5}))
    assert one == five <= 5  # savepoint, count, page, visits, release
