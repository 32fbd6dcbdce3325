"""A request body over the limit of the address it is sent to is refused with 413 before it is read
(corpus_app/request_size.py): 2 MiB under /api/, 20 MiB for admin import files, 2.5 MiB elsewhere."""

import json

import pytest
from django.urls import reverse
from rest_framework import status

from corpus_app.models import Article, Outlet
from corpus_app.request_size import MiB, body_limit

pytestmark = pytest.mark.django_db


def post_json(client, url, body: str, **extra):
    return client.generic("POST", url, body, content_type="application/json", **extra)


def test_an_api_body_over_2_mib_is_413_json_and_saves_nothing(curator_client):
    body = json.dumps({"slug": "big", "name": "Big", "notes": "x" * (2 * MiB)})
    response = post_json(curator_client, reverse("outlet-list"), body)
    assert response.status_code == status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.json()["detail"] == (
        f"The request body is {len(body):,} bytes; this address takes at most 2,097,152 (2 MiB)."
    )
    assert not Outlet.objects.exists()


def test_the_largest_article_fits_even_with_every_letter_escaped(curator_client):
    """An article body at its limit, 200,000 Cyrillic letters, sent as json.dumps writes it: 6 bytes a letter."""
    words = "Лавров" * 33_333 + "Ба"
    body = json.dumps({"slug": "longest", "title": "Longest", "body": words})
    assert MiB < len(body.encode()) < 2 * MiB
    response = post_json(curator_client, reverse("article-list"), body)
    assert response.status_code == status.HTTP_201_CREATED, response.content[:300]
    assert Article.objects.get(slug="longest").body == words


@pytest.mark.parametrize(
    "path, limit",
    [
        ("/api/quotes/", 2 * MiB),
        ("/api/articles/3/", 2 * MiB),
        ("/admin/corpus_app/article/import/", 20 * MiB),
        ("/admin/corpus_app/visitparticipant/import/", 20 * MiB),
        ("/admin/corpus_app/article/process_import/", int(2.5 * MiB)),
        ("/admin/corpus_app/article/1/change/", int(2.5 * MiB)),
        ("/admin/login/", int(2.5 * MiB)),
    ],
)
def test_limits_per_address(path, limit):
    assert body_limit(path) == limit


@pytest.mark.parametrize(
    "path, over",
    [("/admin/corpus_app/article/import/", 20 * MiB + 1), ("/admin/login/", int(2.5 * MiB) + 1)],
)
def test_elsewhere_a_body_over_the_limit_is_413_text_before_it_is_read(admin_client, path, over):
    """Only the Content-Length is read: the body announced is never sent, and nothing waits for it."""
    response = admin_client.generic("POST", path, b"x", content_type="text/csv", CONTENT_LENGTH=str(over))
    assert response.status_code == status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    assert response["Content-Type"].startswith("text/plain")
    assert f"The request body is {over:,} bytes" in response.content.decode()


def test_a_body_within_the_limit_is_read(admin_client):
    response = admin_client.post(reverse("admin:corpus_app_outlet_add"), {"name": "Turan", "slug": "turan"})
    assert response.status_code == status.HTTP_302_FOUND
    assert Outlet.objects.filter(slug="turan").exists()
