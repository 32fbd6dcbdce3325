import datetime

import pytest
from django.urls import reverse
from rest_framework import status

from corpus_app.models import Article, DatePrecision
from tests.api_responses import results, slugs
from tests.factories import (
    ArticleFactory,
    ExpertFactory,
    OutletFactory,
    QuoteFactory,
    VisitFactory,
    body_quoting,
    quoted_article,
)

pytestmark = pytest.mark.django_db

LIST = reverse("article-list")


def test_an_article_embeds_outlet_visits_and_quote_count(api_client):
    """An article's read form embeds its outlet and visits, counts its own quotes and shows its date."""
    outlet = OutletFactory(name="TODAY.AZ", slug="today-az")
    visit = VisitFactory(slug="lavrov-azerbaijan-2023-02")
    speaker = ExpertFactory()
    article = quoted_article(
        (speaker, "The minister arrived."),
        (speaker, "We expect progress,"),
        (speaker, "Nothing else was announced."),
        (speaker, "Talks lasted an hour."),
        outlet=outlet,
        visits=[visit],
        published_date=datetime.date(2023, 2, 27),
        published_time=datetime.time(17, 59),
        view_count=1105,
    )
    quoted_article((speaker, "We expect progress,"), visits=[visit])  # another article's quote is not counted

    body = api_client.get(reverse("article-detail", args=[article.pk])).json()
    assert body["outlet"] == {"id": outlet.pk, "slug": "today-az", "name": "TODAY.AZ"}
    assert [v["slug"] for v in body["visits"]] == ["lavrov-azerbaijan-2023-02"]
    assert body["quote_count"] == 4
    assert (body["published_date"], body["published_time"], body["view_count"]) == ("2023-02-27", "17:59:00", 1105)
    assert body["published_display"] == "27 February 2023"


def test_filters(api_client):
    """Articles filter by outlet, visit, quoted expert (one row per article), date, language and section."""
    turan = OutletFactory(name="Turan")
    visit, other_visit = VisitFactory(), VisitFactory()
    expert = ExpertFactory()
    turan_article = ArticleFactory(
        slug="turan-2020",
        outlet=turan,
        visits=[visit],
        published_date=datetime.date(2020, 11, 23),
        section="Politics",
        body=body_quoting("First words.", "Second words."),
    )
    today_article = ArticleFactory(
        slug="today-2023", visits=[visit, other_visit], published_date=datetime.date(2023, 2, 27)
    )
    undated_article = ArticleFactory(
        slug="undated-2016",
        visits=[other_visit],
        published_date=datetime.date(2016, 1, 1),
        published_date_precision=DatePrecision.YEAR,
        language="az",
        section="Politics and society",
    )
    QuoteFactory(article=turan_article, speaker=expert, text="First words.")
    QuoteFactory(article=turan_article, speaker=expert, text="Second words.")
    QuoteFactory(article=today_article, speaker=expert)
    QuoteFactory(article=undated_article)  # by someone else

    assert slugs(api_client.get(LIST, {"outlet": turan.pk})) == {"turan-2020"}
    assert slugs(api_client.get(LIST, {"visit": visit.pk})) == {"turan-2020", "today-2023"}
    quoting = api_client.get(LIST, {"expert": expert.pk})
    assert slugs(quoting) == {"turan-2020", "today-2023"}
    assert len(quoting.json()["results"]) == 2  # one row per article, however many quotes
    assert slugs(api_client.get(LIST, {"published_before": "2021-01-01"})) == {"turan-2020", "undated-2016"}
    assert slugs(api_client.get(LIST, {"published_after": "2021-01-01"})) == {"today-2023"}
    assert slugs(api_client.get(LIST, {"language": "en"})) == {"turan-2020", "today-2023"}
    assert slugs(api_client.get(LIST, {"language": "az"})) == {"undated-2016"}
    assert slugs(api_client.get(LIST, {"language": "ru"})) == set()
    assert slugs(api_client.get(LIST, {"section": "politics"})) == {"turan-2020"}


def test_search_titles_bodies_and_authors(api_client):
    """Search finds words in titles and bodies (non-ASCII included, with or without its accents) and authors;
    an outlet's articles are its filter's (?outlet=), not search's."""
    ArticleFactory(slug="scene-setter", title="Scene-setter for the Baku talks")
    ArticleFactory(slug="transliterated", body="Aparılan danışıqlar kupiruâ olunub.")
    ArticleFactory(slug="by-enveroglu", author="Elnur Enveroglu")
    ArticleFactory(slug="unrelated", title="Something else")

    assert slugs(api_client.get(LIST, {"search": "Scene-setter"})) == {"scene-setter"}
    assert slugs(api_client.get(LIST, {"search": "kupiruâ"})) == {"transliterated"}
    assert slugs(api_client.get(LIST, {"search": "danisiglar"})) == {"transliterated"}
    assert slugs(api_client.get(LIST, {"search": "Enveroglu"})) == {"by-enveroglu"}


def test_default_order_is_newest_first_and_ordering_by_quote_count(api_client):
    """Newest first by default (undated last); `ordering=-quote_count` puts the most quoted first."""
    speaker = ExpertFactory()
    quoted_article(
        (speaker, "The minister arrived."),
        (speaker, "We expect progress,"),
        slug="2020",
        published_date=datetime.date(2020, 1, 1),
    )
    quoted_article((speaker, "We expect progress,"), slug="2023", published_date=datetime.date(2023, 1, 1))
    quoted_article(
        (speaker, "The minister arrived."),
        (speaker, "We expect progress,"),
        (speaker, "Nothing else was announced."),
        slug="undated",
        published_date=None,
        published_date_precision=DatePrecision.UNKNOWN,
    )
    ArticleFactory(slug="2016", published_date=datetime.date(2016, 1, 1))

    assert [a["slug"] for a in results(api_client.get(LIST))] == ["2023", "2020", "2016", "undated"]
    by_count = results(api_client.get(LIST, {"ordering": "-quote_count"}))
    assert [(a["slug"], a["quote_count"]) for a in by_count] == [("undated", 3), ("2020", 2), ("2023", 1), ("2016", 0)]


def test_an_articles_quotes_in_reading_order(api_client):
    """An article's quotes route lists its own quotes in the order they appear in its body; unknown ids are 404."""
    article = ArticleFactory()
    last = QuoteFactory(article=article, text="Nothing else was announced.")
    first = QuoteFactory(article=article, text="The minister arrived.")
    middle = QuoteFactory(article=article, text="We expect progress,")
    QuoteFactory()  # in another article

    quotes = results(api_client.get(reverse("article-quotes", args=[article.pk])))
    assert [q["id"] for q in quotes] == [first.pk, middle.pk, last.pk]
    assert [q["position"] for q in quotes] == sorted(q["position"] for q in quotes)
    assert api_client.get(reverse("article-quotes", args=[999999])).status_code == status.HTTP_404_NOT_FOUND


def test_create_with_outlet_and_visits_by_id(curator_client):
    """A curator creates an article naming its outlet and visits by id; the answer embeds them."""
    visit = VisitFactory(slug="lavrov-azerbaijan-2023-02")
    response = curator_client.post(
        LIST,
        {
            "slug": "new-analysis",
            "title": "New analysis",
            "outlet": OutletFactory(name="Turan").pk,
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


def test_a_body_edit_that_would_strand_quotes_is_refused(curator_client):
    """Editing a body so that a quote no longer appears in it is 400 and changes nothing."""
    quote = QuoteFactory()
    url = reverse("article-detail", args=[quote.article_id])
    response = curator_client.patch(url, {"body": "Rewritten."}, format="json")
    assert response.status_code == status.HTTP_400_BAD_REQUEST
    assert "no longer contains these quotes" in response.json()["body"][0]
    assert Article.objects.get(pk=quote.article_id).body == quote.article.body


def test_a_duplicate_url_is_refused(curator_client):
    """Two articles may not share a source URL."""
    ArticleFactory(url="http://www.today.az/news/politics/232130.html")
    response = curator_client.post(
        LIST,
        {"slug": "copy", "title": "Copy", "body": "Text.", "url": "http://www.today.az/news/politics/232130.html"},
        format="json",
    )
    assert response.status_code == status.HTTP_400_BAD_REQUEST
    assert response.json()["url"] == ["article with this source URL already exists."]
    assert not Article.objects.filter(slug="copy").exists()


def test_a_time_without_a_day_precise_date_is_refused(curator_client):
    """A publication time needs a day-precise publication date."""
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


def test_deleting_an_article_with_quotes_is_409_and_deletes_nothing(curator_client):
    """An article with quotes cannot be deleted; the answer says how many quotes hold it."""
    speaker = ExpertFactory()
    article = quoted_article((speaker, "The minister arrived."), (speaker, "We expect progress,"))
    response = curator_client.delete(reverse("article-detail", args=[article.pk]))
    assert response.status_code == status.HTTP_409_CONFLICT
    assert response.json()["detail"].startswith("Not deleted: 2 quotes still refer to it")
    assert Article.objects.filter(pk=article.pk).exists()
    assert article.quotes.count() == 2
