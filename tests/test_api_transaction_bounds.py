"""On PostgreSQL each API request's transaction has a statement timeout and checks foreign keys at once
(corpus_app/api/transaction_bounds.py): a slow query is a 503, a write racing a delete is a 409 that
leaves nothing behind, and neither setting outlives the request.

The races are played deterministically: the request's validation, once done, has another connection
delete the record the write refers to and commit, before the write reaches the database. The tests
that need that second connection to see committed rows use `transactional_db`.
"""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import override_settings
from django.urls import reverse
from rest_framework import status

from corpus_app.api import serializers as s
from corpus_app.api.filters import ArticleFilter
from corpus_app.models import Article, Expert, Outlet, Quote, Visit
from tests.factories import ArticleFactory, ExpertFactory, OutletFactory, VisitFactory
from tests.races import after_validation, in_another_connection

pytestmark = pytest.mark.postgres

SLEEP_ONE_SECOND = "(SELECT true FROM pg_sleep(1))"


def show(query: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(query)
        return cursor.fetchone()[0]


# ------------------------------------------------------------------ statement timeout
@pytest.mark.django_db
@override_settings(API_STATEMENT_TIMEOUT_MS=100)
def test_a_query_cancelled_by_the_statement_timeout_is_503_json(api_client, monkeypatch):
    """A query that runs past API_STATEMENT_TIMEOUT_MS is cancelled and answered 503 with a message, not 500."""
    ArticleFactory()
    monkeypatch.setattr(
        ArticleFilter, "filter_queryset", lambda self, queryset: queryset.extra(where=[SLEEP_ONE_SECOND])
    )
    response = api_client.get(reverse("article-list"))
    assert response.status_code == status.HTTP_503_SERVICE_UNAVAILABLE
    assert response.json()["detail"].startswith("The database did not answer within 0.1 s")
    monkeypatch.undo()
    assert api_client.get(reverse("article-list")).status_code == status.HTTP_200_OK


@pytest.mark.django_db(transaction=True)
@override_settings(API_STATEMENT_TIMEOUT_MS=1500)
def test_the_bounds_hold_for_the_request_only(api_client, monkeypatch):
    """The timeout is set inside an API request's transaction; after it, the connection is as it was."""
    ArticleFactory()
    seen = []

    def filter_queryset(self, queryset):
        seen.append(show("SHOW statement_timeout"))
        return queryset

    monkeypatch.setattr(ArticleFilter, "filter_queryset", filter_queryset)
    before = show("SHOW statement_timeout")
    assert api_client.get(reverse("article-list")).status_code == status.HTTP_200_OK
    assert seen == ["1500ms"]
    assert show("SHOW statement_timeout") == before == "0"
    # Foreign keys are deferred again outside the request: a dangling one fails at COMMIT, not at once.
    article = ArticleFactory()
    statement_ran = []
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE corpus_app_article SET outlet_id = 999999999 WHERE id = %s", [article.pk])
        statement_ran.append(True)
    assert statement_ran == [True]


@pytest.mark.django_db
@override_settings(API_STATEMENT_TIMEOUT_MS=0)
def test_a_timeout_of_zero_sets_none(api_client, monkeypatch):
    """API_STATEMENT_TIMEOUT_MS=0 leaves the database's own timeout in place."""
    ArticleFactory()
    seen = []
    monkeypatch.setattr(
        ArticleFilter, "filter_queryset", lambda self, queryset: seen.append(show("SHOW statement_timeout")) or queryset
    )
    assert api_client.get(reverse("article-list")).status_code == status.HTTP_200_OK
    assert seen == ["0"]


# ------------------------------------------------------------------ a write racing a delete
@pytest.mark.django_db(transaction=True)
def test_a_quote_posted_while_its_speaker_is_deleted_is_409_and_saves_nothing(curator_client, monkeypatch):
    """The speaker exists when the quote is validated and is gone when it is saved: 409, no quote, no history."""
    article, speaker = ArticleFactory(), ExpertFactory()
    threads = after_validation(
        monkeypatch, s.QuoteWriteSerializer, lambda: Expert.objects.filter(pk=speaker.pk).delete()
    )
    response = curator_client.post(
        reverse("quote-list"), {"article": article.pk, "speaker": speaker.pk, "text": "We expect progress,"}
    )
    assert [thread.errors for thread in threads] == [[]]
    assert response.status_code == status.HTTP_409_CONFLICT, response.content
    assert response.json()["detail"].startswith("The speaker this refers to was deleted while this request ran")
    assert not Quote.objects.exists()
    assert not Quote.history.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("deleted", ["outlet", "visit"])
def test_an_article_posted_while_a_record_it_names_is_deleted_is_409_and_saves_nothing(
    curator_client, monkeypatch, deleted
):
    """Its outlet or one of its visits deleted after validation: 409 inside the view, not a 500 at COMMIT."""
    outlet, visit = OutletFactory(), VisitFactory()
    gone = {"outlet": Outlet.objects.filter(pk=outlet.pk), "visit": Visit.objects.filter(pk=visit.pk)}[deleted]
    after_validation(monkeypatch, s.ArticleWriteSerializer, lambda: gone.delete())
    response = curator_client.post(
        reverse("article-list"),
        {"slug": "raced", "body": "Text.", "outlet": outlet.pk, "visits": [visit.pk]},
    )
    assert response.status_code == status.HTTP_409_CONFLICT, response.content
    assert f"The {deleted} this refers to was deleted" in response.json()["detail"]
    assert not Article.objects.exists()
    assert not Article.history.exists()


@pytest.mark.django_db(transaction=True)
def test_an_update_racing_a_delete_does_not_bring_the_record_back(curator_client, monkeypatch):
    """The row is locked from the moment a PATCH reads it: the delete waits for the update, then deletes.

    Unlocked, the delete would go first and the update's save, finding no row, would insert it again.
    """
    outlet = OutletFactory(name="Before")
    threads = after_validation(
        monkeypatch, s.OutletSerializer, lambda: Outlet.objects.filter(pk=outlet.pk).delete(), wait=0.5
    )
    response = curator_client.patch(reverse("outlet-detail", args=[outlet.pk]), {"name": "After"})
    assert response.status_code == status.HTTP_200_OK, response.content
    (thread,) = threads
    thread.join(10)
    assert thread.errors == []
    assert not Outlet.objects.filter(pk=outlet.pk).exists()
    assert [entry.history_type for entry in Outlet.history.filter(id=outlet.pk).order_by("history_id")] == [
        "+",
        "~",
        "-",
    ]


@pytest.mark.django_db(transaction=True)
def test_a_change_to_a_record_deleted_before_it_was_read_is_404(curator_client, monkeypatch):
    """Deleted between routing and reading: the row lock finds nothing, and the answer is 404."""
    from corpus_app.api import views

    outlet = OutletFactory()
    lock_for_write = views.lock_for_write

    def deleted_first(model, pk):
        in_another_connection(lambda: Outlet.objects.filter(pk=outlet.pk).delete())
        return lock_for_write(model, pk)

    monkeypatch.setattr(views, "lock_for_write", deleted_first)
    response = curator_client.patch(reverse("outlet-detail", args=[outlet.pk]), {"name": "After"})
    assert response.status_code == status.HTTP_404_NOT_FOUND
    assert not Outlet.objects.filter(pk=outlet.pk).exists()
