"""An import's confirm writes every row exactly as its preview showed, or nothing, and says why."""

import io
import os
import tempfile

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from corpus_app.models import Article, Expert, Quote
from tests.factories import ArticleFactory, ExpertFactory, body_quoting

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:corpus_app_quote_import")
CONFIRM = reverse("admin:corpus_app_quote_process_import")
EXPERT_IMPORT = reverse("admin:corpus_app_expert_import")
EXPERT_CONFIRM = reverse("admin:corpus_app_expert_process_import")


def curator(username="curator"):
    user = get_user_model().objects.create_user(username, password="unused-in-tests-7", is_staff=True)
    user.groups.add(Group.objects.get(name="Curator"))
    return user


@pytest.fixture
def curator_admin(client):
    client.force_login(curator())
    return client


def upload(client, url, text, name="rows.csv"):
    csv_file = io.StringIO(text)
    csv_file.name = name
    return client.post(url, {"import_file": csv_file, "format": "0", "resource": "0"})


def confirm_data(preview):
    confirm = preview.context["confirm_form"]
    assert confirm is not None, preview.content.decode()[:2000]
    return {name: confirm[name].value() for name in confirm.fields}


def stored_path(data):
    return os.path.join(tempfile.gettempdir(), data["import_file_name"])


def page_messages(response):
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def two_quotes_previewed(curator_admin):
    """A clean preview of two quote rows, each in its own article; returns the confirm form's data."""
    ExpertFactory(slug="lavrov")
    ArticleFactory(slug="first", body=body_quoting("Information is pretty scant."))
    ArticleFactory(slug="second", body=body_quoting("Baku abides by the agreements."))
    preview = upload(
        curator_admin,
        IMPORT,
        "article,text,speaker,kind\n"
        "first,Information is pretty scant.,lavrov,direct\n"
        "second,Baku abides by the agreements.,lavrov,direct\n",
    )
    assert preview.status_code == 200 and not Quote.objects.exists()
    return confirm_data(preview)


def change_second_article_body(article):
    article.body = "A different text."
    article.save()


def delete_second_article(article):
    article.delete()


@pytest.mark.parametrize(
    "break_row_2, expected_error",
    [
        (change_second_article_body, "does not appear in the article"),
        (delete_second_article, "Line number: 2 - Article matching query does not exist."),
    ],
)
def test_a_row_that_fails_at_confirm_fails_the_whole_import(
    curator_admin, two_quotes_previewed, break_row_2, expected_error
):
    """Row 2 previewed clean, then its article changes or goes: the confirm writes neither row and names row 2."""
    break_row_2(Article.objects.get(slug="second"))
    response = curator_admin.post(CONFIRM, two_quotes_previewed)

    assert response.status_code == 200
    assert not Quote.objects.exists()
    [message] = page_messages(response)
    assert message.startswith("Nothing was imported: 1 row(s) of the file failed when confirmed")
    result = response.context["result"]
    assert [row.number for row in result.invalid_rows + result.error_rows] == [2]
    page = response.content.decode()
    assert expected_error in page
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert not os.path.exists(stored_path(two_quotes_previewed))


def test_a_clean_confirm_writes_every_row_and_removes_the_stored_file(curator_admin, two_quotes_previewed):
    """Confirming an unchanged preview writes both rows, says so and removes the stored upload."""
    response = curator_admin.post(CONFIRM, two_quotes_previewed, follow=True)
    assert Quote.objects.count() == 2
    assert page_messages(response) == ["Import finished: 2 new, 0 updated, 0 deleted and 0 skipped quotes."]
    assert not os.path.exists(stored_path(two_quotes_previewed))


def test_a_stored_file_changed_after_its_preview_is_refused(curator_admin, two_quotes_previewed):
    """The confirm re-reads the stored upload: if it is not the previewed file, nothing is imported."""
    with open(stored_path(two_quotes_previewed), "a", encoding="utf-8") as stored:
        stored.write("first,Information,lavrov,direct\n")
    response = curator_admin.post(CONFIRM, two_quotes_previewed, follow=True)
    assert response.redirect_chain == [(IMPORT, 302)]
    assert page_messages(response) == [
        "Nothing was imported: the stored file is no longer the one that was previewed. "
        "Upload the file again to preview it."
    ]
    assert not Quote.objects.exists()


def test_a_confirm_needs_a_preview_by_the_same_user(client, two_quotes_previewed):
    """Another curator posting that preview's confirm, a forged account of it, or none at all, imports nothing."""
    client.force_login(curator("other-curator"))
    for data in (
        two_quotes_previewed,
        {**two_quotes_previewed, "preview": two_quotes_previewed["preview"][:-2] + "xx"},
        {key: value for key, value in two_quotes_previewed.items() if key != "preview"},
    ):
        response = client.post(CONFIRM, data, follow=True)
        assert response.redirect_chain == [(IMPORT, 302)]
        assert page_messages(response)[0].startswith("Nothing was imported: this confirmation")
    assert not Quote.objects.exists()


def test_a_record_changed_since_the_preview_is_not_overwritten(curator_admin):
    """An expert edited between preview and confirm: nothing is written, the row is named, and a new preview
    against the current data can be confirmed."""
    ExpertFactory(slug="shahinoglu", name="Elkhan Shahinoglu", role="analyst")
    ExpertFactory(slug="oruj", name="Zahid Oruj", role="MP")
    data = confirm_data(
        upload(
            curator_admin,
            EXPERT_IMPORT,
            "slug,name,kind,role\n"
            "oruj,Zahid Oruj,legislator,MP\n"
            "shahinoglu,Elkhan Shahinoglu,analyst,political scientist\n",
        )
    )
    edited = Expert.objects.get(slug="shahinoglu")
    edited.role = "director of the Atlas centre"  # someone else's edit meanwhile
    edited.save()

    response = curator_admin.post(EXPERT_CONFIRM, data)
    assert response.status_code == 200
    assert Expert.objects.get(slug="shahinoglu").role == "director of the Atlas centre"
    assert Expert.objects.get(slug="oruj").kind == "analyst"
    [message] = page_messages(response)
    assert message.startswith("Nothing was imported: the data changed since your preview. row 2: “Elkhan Shahinoglu”")
    assert "(version 1 then, 2 now); confirming would overwrite that change" in message

    # The page is the preview against the current data: confirming it is a deliberate overwrite.
    response = curator_admin.post(EXPERT_CONFIRM, confirm_data(response), follow=True)
    assert page_messages(response)[0].startswith("Import finished: 0 new, 2 updated")
    assert Expert.objects.get(slug="shahinoglu").role == "political scientist"


def test_a_record_added_since_the_preview_is_not_overwritten(curator_admin):
    """A row the preview showed as new, whose record someone else added meanwhile, is not written over it."""
    data = confirm_data(upload(curator_admin, EXPERT_IMPORT, "slug,name,kind\nvelizade,Ilgar Velizade,analyst\n"))
    ExpertFactory(slug="velizade", name="Ilgar Velizade (added by hand)")
    response = curator_admin.post(EXPERT_CONFIRM, data)
    assert Expert.objects.get(slug="velizade").name == "Ilgar Velizade (added by hand)"
    [message] = page_messages(response)
    assert "row 1: “Ilgar Velizade (added by hand)” has been added by someone else since the preview" in message
