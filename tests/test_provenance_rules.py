"""The quote-article rules hold on every way in: API, admin, import and plain model code."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from rest_framework import status

from corpus_app.models import Quote
from tests.admin_forms import form_data
from tests.factories import ArticleFactory, QuoteFactory, VisitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def quoted_visit():
    """An article covering two visits, with a quote about the first."""
    kept, other = VisitFactory(title="Visit quoted about"), VisitFactory(title="Visit nobody quotes")
    quote = QuoteFactory(article=ArticleFactory(visits=[kept, other]), visit=kept)
    return quote.article, kept, other


def change_url(obj):
    return reverse(f"admin:corpus_app_{obj._meta.model_name}_change", args=[obj.pk])


class TestAnArticleKeepsTheVisitsItsQuotesAreAbout:
    def test_the_api_refuses_dropping_it_and_changes_nothing(self, curator_client, quoted_visit):
        article, kept, other = quoted_visit
        url = reverse("article-detail", args=[article.pk])
        response = curator_client.patch(url, {"visits": [other.pk]})
        assert response.status_code == status.HTTP_400_BAD_REQUEST
        assert "Visit quoted about" in response.json()["visits"][0]
        assert set(article.visits.all()) == {kept, other}
        assert curator_client.patch(url, {"visits": [kept.pk]}).status_code == status.HTTP_200_OK

    def test_the_admin_form_says_so_before_saving(self, admin_client, quoted_visit):
        article, kept, other = quoted_visit
        data = form_data(admin_client.get(change_url(article)))
        data["visits"] = [str(other.pk)]
        response = admin_client.post(change_url(article), data)
        assert response.status_code == 200
        assert "must keep covering" in response.content.decode()
        assert set(article.visits.all()) == {kept, other}

    def test_model_code_from_either_side_is_refused(self, quoted_visit):
        article, kept, other = quoted_visit
        for drop in (lambda: article.visits.remove(kept), article.visits.clear, lambda: kept.articles.remove(article)):
            with pytest.raises(ValidationError, match="Visit quoted about"), transaction.atomic():
                drop()
        article.visits.remove(other)  # no quote is about it
        assert set(article.visits.all()) == {kept}

    def test_an_import_that_drops_it_is_an_error_in_the_preview(self, admin_client, quoted_visit):
        article, kept, other = quoted_visit
        upload = io.StringIO(f"slug,visits\n{article.slug},{other.slug}\n")
        upload.name = "articles.csv"
        url = reverse("admin:corpus_app_article_import")
        response = admin_client.post(url, {"import_file": upload, "format": "0", "resource": "0"})
        assert "must keep covering" in response.content.decode()
        assert set(article.visits.all()) == {kept, other}


class TestOneQuoteTextPerArticle:
    def test_the_admin_refuses_a_duplicate_with_a_message_not_a_server_error(self, admin_client):
        quote = QuoteFactory()
        data = form_data(admin_client.get(change_url(quote.article)))
        data.update(
            {
                "quotes-TOTAL_FORMS": "2",
                "quotes-1-text": f"  {quote.text}  ",  # the same words, spaced otherwise
                "quotes-1-speaker": str(quote.speaker_id),
                "quotes-1-kind": "direct",
                "quotes-1-article": str(quote.article_id),
            }
        )
        response = admin_client.post(change_url(quote.article), data)
        assert response.status_code == 200
        assert "This article already has this quote." in response.content.decode()
        assert Quote.objects.count() == 1

    def test_an_add_form_posted_without_its_version_saves(self, admin_client):
        article = ArticleFactory()
        speaker = QuoteFactory(article=article).speaker
        response = admin_client.post(
            reverse("admin:corpus_app_quote_add"),
            {"text": "Nothing else was announced.", "speaker": speaker.pk, "article": article.pk, "kind": "direct"},
        )
        assert response.status_code == 302
        assert Quote.objects.get(text="Nothing else was announced.").version == 1
