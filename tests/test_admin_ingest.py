"""The admin's "Add article from page": read a page, review its draft, save what is accepted."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from corpus_app.models import Article, Expert, Quote, RejectedSuggestion
from tests.factories import COPIED_PAGE, ArticleFactory, ExpertFactory

pytestmark = pytest.mark.django_db

URL = reverse("admin:corpus_app_article_ingest")
PAGE = COPIED_PAGE


def review_page(client, **data):
    response = client.post(URL, {"step": "read", "text": PAGE, "url": "https://example.com/a", **data})
    assert response.status_code == 200
    return response


def posted_review(response, **changes) -> dict:
    """The review form as the browser would send it back, with `changes` (name: value) made."""
    data = {"step": "save", "url": response.context["url"], "body_digest": response.context["body_digest"]}
    forms = [response.context["formset"].management_form, *response.context["formset"]]
    if response.context["article_form"] is not None:
        forms.append(response.context["article_form"])
    for form in forms:
        for field in form:
            value = field.value()
            if value is None:
                continue
            data[field.html_name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def test_the_page_is_offered_on_the_articles_list(admin_client):
    response = admin_client.get(reverse("admin:corpus_app_article_changelist"))
    assert URL in response.content.decode()


def test_it_needs_the_permissions_to_add_articles_and_quotes(client):
    user = get_user_model().objects.create_user("staff", password="unused-in-tests-3", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=["view_article", "add_article"]))
    client.force_login(user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"step": "read", "text": PAGE}).status_code == 403
    assert URL not in client.get(reverse("admin:corpus_app_article_changelist")).content.decode()


def test_reading_a_page_shows_its_draft_and_saves_nothing(admin_client):
    shahinoglu = ExpertFactory(name="Elkhan Shahinoglu")
    response = review_page(admin_client)
    article_form, formset = response.context["article_form"], response.context["formset"]
    assert article_form["title"].value() == "Lavrov arrives in Baku"
    assert str(article_form["published_date"].value()) == "2024-05-13"
    assert "Facebook" not in article_form["body"].value()
    first, second = formset
    assert (first["new_speaker_name"].value(), first["new_speaker_role"].value()) == (
        "Farid Mammadov", "political analyst at the Baku Policy Institute",
    )  # fmt: skip
    assert second["speaker"].value() == shahinoglu.pk
    assert (Article.objects.count(), Quote.objects.count()) == (0, 0)


def test_an_uploaded_page_is_read(admin_client):
    html = (
        "<html><head><title>Talks</title></head><body><article><h1>Talks</h1>"
        + "".join(f"<p>{p}</p>" for p in PAGE.split("\n\n")[3:5])
        + "</article></body></html>"
    )
    upload = SimpleUploadedFile("page.html", html.encode("utf-8"), content_type="text/html")
    response = admin_client.post(URL, {"step": "read", "page": upload})
    assert [form["new_speaker_name"].value() for form in response.context["formset"]] == ["Farid Mammadov"]


def test_neither_or_both_ways_in_is_an_error_on_the_page(admin_client):
    upload = SimpleUploadedFile("page.txt", PAGE.encode())
    for data in ({"step": "read"}, {"step": "read", "text": PAGE, "page": upload}):
        response = admin_client.post(URL, data)
        assert response.context["page_form"].errors


def test_saving_the_review_accepts_rejects_and_leaves(admin_client, admin_user):
    ExpertFactory(name="Elkhan Shahinoglu")
    response = review_page(admin_client)
    data = posted_review(response, **{"quote-0-decision": "accept", "quote-1-decision": "reject"})
    data["quote-0-text"] = "The visit will focus on the peace treaty"  # the curator trims it
    saved = admin_client.post(URL, data)
    article = Article.objects.get()
    assert saved.status_code == 302 and saved["Location"] == reverse(
        "admin:corpus_app_article_change", args=[article.pk]
    )
    (quote,) = article.quotes.all()
    assert (quote.text, quote.speaker.name, quote.speaker.role) == (
        "The visit will focus on the peace treaty", "Farid Mammadov", "political analyst at the Baku Policy Institute",
    )  # fmt: skip
    assert quote.history.get().history_user == admin_user
    assert RejectedSuggestion.objects.get().text.startswith("Moscow wants")
    again = review_page(admin_client)
    assert again.context["existing"] == article
    assert again.context["formset"].total_form_count() == 0
    assert (again.context["screened"].skipped_curated, again.context["screened"].skipped_rejected) == (
        1,
        1,
    )  # the trimmed quote covers its suggestion


def test_a_refused_quote_is_shown_on_its_form_and_nothing_is_saved(admin_client):
    response = review_page(admin_client)
    data = posted_review(response, **{"quote-1-decision": "accept", "quote-1-text": "Words never printed here."})
    refused = admin_client.post(URL, data)
    assert refused.status_code == 200
    assert "text" in refused.context["formset"][1].errors
    assert refused.context["article_form"]["body"].value() == response.context["article_form"]["body"].value()
    assert (Article.objects.count(), Quote.objects.count(), Expert.objects.count()) == (0, 0, 0)


def test_an_accepted_quote_needs_one_speaker(admin_client):
    response = review_page(admin_client)
    data = posted_review(response, **{"quote-0-decision": "accept", "quote-0-new_speaker_name": ""})
    refused = admin_client.post(URL, data)
    assert "speaker" in refused.context["formset"][0].errors
    assert not Article.objects.exists()


def test_quotes_go_to_the_corpus_copy_of_the_page(admin_client):
    body = review_page(admin_client).context["article_form"]["body"].value()
    article = ArticleFactory(url="https://example.com/a", body=body)
    response = review_page(admin_client)
    assert response.context["existing"] == article and response.context["article_form"] is None
    data = posted_review(response, **{"quote-0-decision": "accept", "quote-1-decision": "later"})
    data["existing_article"] = str(article.pk)
    assert admin_client.post(URL, data).status_code == 302
    assert [q.speaker.name for q in article.quotes.all()] == ["Farid Mammadov"]
    assert Article.objects.count() == 1


def test_a_rejection_holds_for_the_page_as_read_when_the_curator_corrected_its_body(admin_client):
    response = review_page(admin_client, url="")
    body = response.context["article_form"]["body"].value()
    data = posted_review(response, **{"quote-0-decision": "reject", "quote-1-decision": "later"})
    data["article-body"] = body + "\n\nA paragraph the curator added."
    assert admin_client.post(URL, data).status_code == 302
    again = review_page(admin_client, url="")
    assert again.context["screened"].skipped_rejected == 1
