"""The changelists at archive scale: an index order, no count of a large unfiltered table, bounded search."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from corpus_app.admin import paginator
from corpus_app.api.query_bounds import SEARCH_MAX_WORDS
from corpus_app.models import DatePrecision, Expert
from tests.factories import ArticleFactory, ExpertFactory

pytestmark = pytest.mark.django_db

ARTICLES = reverse("admin:corpus_app_article_changelist")
EXPERTS = reverse("admin:corpus_app_expert_changelist")


def test_articles_list_newest_first_undated_last_as_the_api_does(admin_client):
    """The article changelist's default order is the API's: by date descending, undated last, ties by id."""
    day = datetime.date(2023, 2, 27)
    undated = ArticleFactory(published_date=None, published_date_precision=DatePrecision.UNKNOWN)
    old = ArticleFactory(published_date=datetime.date(2016, 1, 1))
    same_day = [ArticleFactory(published_date=day), ArticleFactory(published_date=day)]
    listed = list(admin_client.get(ARTICLES).context["cl"].result_list)
    assert listed == [same_day[1], same_day[0], old, undated]


def test_a_search_beyond_the_api_bounds_is_refused_with_a_message(admin_client):
    """A search of more words than the API takes finds nothing and says why, instead of running."""
    ExpertFactory(name="Elkhan Shahinoglu")
    words = " ".join(["Shahinoglu"] * (SEARCH_MAX_WORDS + 1))
    response = admin_client.get(EXPERTS, {"q": words}, follow=True)
    assert list(response.context["cl"].result_list) == []
    assert f"at most {SEARCH_MAX_WORDS} words" in response.content.decode()
    assert len(admin_client.get(EXPERTS, {"q": "Shahinoglu"}).context["cl"].result_list) == 1


@pytest.mark.postgres
def test_an_unfiltered_large_table_is_counted_from_the_statistics(admin_client, monkeypatch):
    """Unfiltered, the row count is PostgreSQL's estimate (not a COUNT(*) of the table); filtered, it is exact."""
    monkeypatch.setattr(paginator, "ESTIMATE_FROM_ROWS", 2)  # "large" from 2 rows, to test on a few
    for name in ("Aliyev", "Bayramov", "Lavrov"):
        ExpertFactory(name=name)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Expert._meta.db_table}")
    ExpertFactory(name="Added after the statistics")
    assert admin_client.get(EXPERTS).context["cl"].result_count == 3  # the estimate, one behind
    assert admin_client.get(EXPERTS, {"q": "Lavrov"}).context["cl"].result_count == 1


def test_picking_an_article_searches_titles_not_bodies(admin_client):
    """The article autocomplete (a quote's article) matches titles and slugs; the list's search also reads bodies."""
    wanted = ArticleFactory(title="Why Lavrov flew to Aliyev?")
    ArticleFactory(title="Another piece", body="Why Lavrov flew, the body says.")
    params = {"term": "Why Lavrov", "app_label": "corpus_app", "model_name": "quote", "field_name": "article"}
    found = admin_client.get(reverse("admin:autocomplete"), params).json()["results"]
    assert [int(result["id"]) for result in found] == [wanted.pk]
    assert len(admin_client.get(ARTICLES, {"q": "Why Lavrov"}).context["cl"].result_list) == 2
