"""The audit trail: what was deleted, once per record, and only while it stays deleted; who and what made each
change (the API request, a command), as the history pages show it."""

import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import strip_tags
from rest_framework import status

from corpus_app.models import Expert
from corpus_app.services.history import deleted_records, history_baseline_create
from tests.admin_forms import form_data
from tests.factories import ArticleFactory, ExpertFactory, QuoteFactory, VisitFactory

pytestmark = pytest.mark.django_db


def restore(history_record):
    history_record.instance.save()


def test_a_record_deleted_restored_and_deleted_again_is_listed_once():
    expert = ExpertFactory(name="Deleted Twice")
    pk = expert.pk
    expert.delete()
    restore(Expert.history.filter(id=pk, history_type="-").get())
    Expert.objects.get(pk=pk).delete()
    listed = list(deleted_records(Expert))
    assert [(record.id, record.name) for record in listed] == [(pk, "Deleted Twice")]
    assert listed[0].history_type == "-"


def test_a_restored_record_is_not_listed_and_others_still_are():
    kept, gone = ExpertFactory(name="Restored"), ExpertFactory(name="Gone")
    kept_pk = kept.pk
    kept.delete()
    gone.delete()
    restore(Expert.history.filter(id=kept_pk, history_type="-").get())
    assert [record.name for record in deleted_records(Expert)] == ["Gone"]


def test_the_deleted_records_page_lists_each_record_once(admin_client):
    expert = ExpertFactory(name="Twice Gone")
    pk = expert.pk
    expert.delete()
    restore(Expert.history.filter(id=pk, history_type="-").get())
    Expert.objects.get(pk=pk).delete()
    page = admin_client.get("/admin/corpus_app/expert/deleted/").content.decode()
    assert page.count("Twice Gone") == 1


# What the history pages and the history itself say of each change.


def change_reasons(record):
    return [entry.history_change_reason for entry in record.history.order_by("history_id")]


def test_an_api_edit_is_recorded_with_its_request_and_its_user(curator_client, curator):
    """A PATCH through the API leaves a history entry naming the request and the token's user."""
    quote = QuoteFactory()
    url = reverse("quote-detail", args=[quote.pk])
    assert curator_client.patch(url, {"notes": "Checked against the page."}).status_code == status.HTTP_200_OK
    latest = quote.history.latest()
    assert (latest.history_change_reason, latest.history_user) == (f"API: PATCH /api/quotes/{quote.pk}/", curator)
    assert latest.notes == "Checked against the page."


def test_an_api_create_delete_and_visits_change_are_each_recorded_with_their_request(curator_client):
    """Creating and deleting through the API, and an article's visits changed by it, name their requests."""
    created = curator_client.post(reverse("expert-list"), {"slug": "new", "name": "New Analyst", "kind": "analyst"})
    assert created.status_code == status.HTTP_201_CREATED
    pk = created.json()["id"]
    assert curator_client.delete(reverse("expert-detail", args=[pk])).status_code == status.HTTP_204_NO_CONTENT
    deleted = Expert.history.filter(id=pk)
    assert [entry.history_change_reason for entry in deleted.order_by("history_id")] == [
        "API: POST /api/experts/",
        f"API: DELETE /api/experts/{pk}/",
    ]

    article, visit = ArticleFactory(), VisitFactory()
    url = reverse("article-detail", args=[article.pk])
    assert curator_client.patch(url, {"visits": [visit.pk]}).status_code == status.HTTP_200_OK
    written = change_reasons(article)[1:]
    assert written and set(written) == {f"API: PATCH /api/articles/{article.pk}/"}
    assert list(article.history.latest().visits.values_list("visit_id", flat=True)) == [visit.pk]


def test_admin_edits_and_commands_keep_their_own_reasons(admin_client):
    """Only API requests get an API reason: an admin edit has none, a command's reason is its own."""
    expert = ExpertFactory(role="analyst")
    data = form_data(admin_client.get(reverse("admin:corpus_app_expert_change", args=[expert.pk])))
    data["role"] = "political scientist"
    assert admin_client.post(reverse("admin:corpus_app_expert_change", args=[expert.pk]), data).status_code == 302
    expert.refresh_from_db()
    expert._change_reason = "Merged from a duplicate"
    expert.save()
    assert change_reasons(expert) == [None, None, "Merged from a duplicate"]


def text_of(markup: str) -> str:
    return " ".join(html.unescape(strip_tags(markup)).split())


def history_rows(client, record):
    """Each row of the record's history page as {column: text}, newest first."""
    url = reverse(f"admin:corpus_app_{record._meta.model_name}_history", args=[record.pk])
    html = client.get(url).content.decode()
    table = html.split('<table id="change-history"')[1].split("</table>")[0]
    heads = [text_of(cell) for cell in re.findall(r"<th scope=\"col\">(.*?)</th>", table, re.S)]
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)
    cells = [[text_of(cell) for cell in re.findall(r"<td>(.*?)</td>", row, re.S)] for row in rows]
    return [dict(zip(heads, row, strict=True)) for row in cells]


def test_the_history_page_names_who_changed_what_and_hides_the_version(admin_client, admin_user):
    """The history page says "corpus load" for the loaded version and "system" for a script's save, names the
    curator of an admin edit, and lists the fields changed without the version and timestamp every save moves."""
    Expert.objects.bulk_create([Expert(name="Ilgar Velizade", slug="ilgar-velizade", kind="analyst")])
    expert = Expert.objects.get(slug="ilgar-velizade")
    history_baseline_create([Expert])  # as loading the curated corpus does
    expert.affiliation = "Baku Political Scientists Club"
    expert.save()  # a script
    data = form_data(admin_client.get(reverse("admin:corpus_app_expert_change", args=[expert.pk])))
    data["role"] = "political scientist"
    admin_client.post(reverse("admin:corpus_app_expert_change", args=[expert.pk]), data)

    rows = history_rows(admin_client, expert)
    assert [row["Changed by"] for row in rows] == [admin_user.username, "system", "corpus load"]
    assert rows[2]["Change reason"] == "Loaded from the curated corpus"
    assert rows[0]["Changes"] == "Role: → political scientist"
    assert rows[1]["Changes"] == "Affiliation: → Baku Political Scientists Club"
    assert "Version" not in str(rows) and "Updated at" not in str(rows)


def test_a_deleted_record_is_listed_with_who_deleted_it(client):
    """The deleted records page names the deleting user, or "system" for a script's deletion."""
    ExpertFactory(name="Deleted By Script").delete()
    client.force_login(get_user_model().objects.create_superuser("admin", password="unused-in-tests-5"))
    page = client.get("/admin/corpus_app/expert/deleted/").content.decode()
    assert re.search(r"Deleted By Script</a></td>\s*<td>[^<]+</td>\s*<td>system</td>", page)


def test_the_revert_page_is_named_by_the_app_and_the_model(admin_client):
    """A past version's page reads Home › Corpus › Experts › <expert> › History › Revert expert."""
    expert = ExpertFactory(name="Ilgar Velizade")
    version = expert.history.earliest()
    page = admin_client.get(reverse("admin:corpus_app_expert_simple_history", args=[expert.pk, version.history_id]))
    breadcrumbs = text_of(page.content.decode().split('<div class="breadcrumbs">')[1].split("</div>")[0])
    assert breadcrumbs == "Home › Corpus › Experts › Ilgar Velizade › History › Revert expert"
