"""No list grows its number of SQL statements with the page size: related rows come in fixed batches."""

import pytest
from django.urls import reverse

from corpus_app.models import Article, Expert, Visit

pytestmark = pytest.mark.django_db

LISTS = ["article-list", "visit-list", "visitparticipant-list", "expert-list", "quote-list", "outlet-list", "city-list"]


@pytest.mark.parametrize("name", LISTS)
def test_list(api_client, corpus, count_queries, name):
    one = count_queries(lambda: api_client.get(reverse(name), {"page_size": 1}))
    many = count_queries(lambda: api_client.get(reverse(name), {"page_size": 500}))
    assert one == many


@pytest.mark.parametrize(
    "name, model, slug",
    [
        ("expert-quotes", Expert, "elkhan-shahinoglu"),
        ("visit-articles", Visit, "lavrov-azerbaijan-2023-02"),
        ("visit-quotes", Visit, "lavrov-shoigu-azerbaijan-2020-11"),
        ("article-quotes", Article, "why-lavrov-flew-to-aliyev"),
    ],
)
def test_related_list(api_client, corpus, count_queries, name, model, slug):
    url = reverse(name, args=[model.objects.get(slug=slug).pk])
    one = count_queries(lambda: api_client.get(url, {"page_size": 1}))
    many = count_queries(lambda: api_client.get(url, {"page_size": 500}))
    assert one == many


@pytest.mark.parametrize("name", LISTS)
def test_browsable_api_pages_render(client, curator, corpus, name):
    client.force_login(curator)
    response = client.get(reverse(name), HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"<html" in response.content
