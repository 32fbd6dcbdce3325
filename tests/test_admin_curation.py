"""Curating in the admin: provenance, no lost updates, history and revert, import preview, roles."""

import datetime
import io
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from corpus_app.models import Article, City, DatePrecision, Expert, Quote, Visit, VisitParticipant
from tests.admin_forms import form_data
from tests.factories import (
    ArticleFactory,
    CityFactory,
    ExpertFactory,
    QuoteFactory,
    VisitFactory,
    body_quoting,
    quoted_article,
    sample_corpus,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator_user(db):
    user = get_user_model().objects.create_user("curator", password="unused-in-tests-4", is_staff=True)
    user.groups.add(Group.objects.get(name="Curator"))
    return user


@pytest.fixture
def curator_admin(client, curator_user):
    client.force_login(curator_user)
    return client


def change_url(obj):
    return reverse(f"admin:corpus_app_{obj._meta.model_name}_change", args=[obj.pk])


def post_change(client, obj, **changes):
    data = form_data(client.get(change_url(obj)))
    data.update(changes)
    return client.post(change_url(obj), data)


class TestProvenance:
    def test_a_quote_not_in_its_article_is_refused_with_a_message(self, curator_admin):
        """Changing a quote to words its article does not contain is refused with a message; nothing is saved."""
        quote = QuoteFactory(text="We expect progress,")
        response = post_change(curator_admin, quote, text="I promise a breakthrough")
        assert response.status_code == 200
        assert "does not appear in the article" in response.content.decode()
        quote.refresh_from_db()
        assert quote.text == "We expect progress,"

    def test_the_article_page_lists_its_quotes_in_reading_order(self, curator_admin):
        """An article's change page lists its own quotes in the order they appear in its body."""
        article = ArticleFactory()
        last = QuoteFactory(article=article, text="Nothing else was announced.")
        first = QuoteFactory(article=article, text="The minister arrived.")
        middle = QuoteFactory(article=article, text="We expect progress,")
        QuoteFactory()  # in another article
        formset = curator_admin.get(change_url(article)).context["inline_admin_formsets"][0].formset
        assert [form.instance for form in formset.forms if form.instance.pk] == [first, middle, last]


class TestNoLostUpdates:
    def test_the_second_of_two_concurrent_edits_is_refused(self, client, curator_user):
        """Of two curators who opened one version, the second to save is refused with a message naming the first."""
        expert = ExpertFactory(role="analyst")
        client.force_login(curator_user)
        first = form_data(client.get(change_url(expert)))
        second = dict(first)

        first["role"] = "first curator's role"
        assert client.post(change_url(expert), first).status_code == 302

        second["role"] = "second curator's role"
        response = client.post(change_url(expert), second)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Someone else saved this record while you were editing it (curator," in page
        assert "Your changes were NOT saved" in page
        expert.refresh_from_db()
        assert expert.role == "first curator's role"

    def test_a_save_that_loses_the_race_after_the_form_check_is_refused_with_a_message(
        self, client, curator_user, monkeypatch
    ):
        """A save that loses the race after the form's check is refused with a message, not a server error."""
        from corpus_app.admin.forms import VersionedModelForm

        expert = ExpertFactory(role="analyst")
        client.force_login(curator_user)
        data = form_data(client.get(change_url(expert)))
        monkeypatch.setattr(VersionedModelForm, "clean", lambda self: self.cleaned_data)
        Expert.objects.get(pk=expert.pk).save()  # saved by someone else between the check and the save
        data["role"] = "late edit"
        response = client.post(change_url(expert), data, follow=True)
        assert response.status_code == 200
        assert "was changed by someone else" in response.content.decode()
        assert Expert.objects.get(pk=expert.pk).role == "analyst"

    def test_a_stale_inline_quote_is_refused(self, client, curator_user):
        """An inline quote changed by someone else since the page was opened is refused."""
        quote = QuoteFactory()
        client.force_login(curator_user)
        data = form_data(client.get(change_url(quote.article)))
        Quote.objects.get(pk=quote.pk).save()  # someone else saves the quote meanwhile
        data["quotes-0-notes"] = "my note"
        response = client.post(change_url(quote.article), data)
        assert response.status_code == 200
        assert "Someone else saved this record" in response.content.decode()
        assert Quote.objects.get(pk=quote.pk).notes == ""


class TestHistory:
    def test_admin_and_api_changes_are_recorded_with_their_user(self, curator_admin, curator_user, api_client):
        """Changes through the admin and through the API are both in the history, with who made them."""
        from rest_framework.authtoken.models import Token

        expert = ExpertFactory(role="analyst")
        assert post_change(curator_admin, expert, role="via admin").status_code == 302
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=curator_user).key}")
        api_client.patch(reverse("expert-detail", args=[expert.pk]), {"role": "via API"}, format="json")
        records = list(expert.history.order_by("history_date"))
        assert [(r.role, r.history_type) for r in records] == [("analyst", "+"), ("via admin", "~"), ("via API", "~")]
        assert [r.history_user for r in records[1:]] == [curator_user, curator_user]

    def test_a_change_can_be_seen_and_reverted_from_the_admin(self, curator_admin):
        """A change shows in the record's history page and reverting to the first version restores it."""
        expert = ExpertFactory(role="analyst")
        post_change(curator_admin, expert, role="mistaken role")
        history_page = curator_admin.get(reverse("admin:corpus_app_expert_history", args=[expert.pk])).content.decode()
        assert "analyst &nbsp;&rarr;&nbsp;&nbsp;mistaken role" in " ".join(history_page.split())
        assert "curator" in history_page
        original = expert.history.earliest("history_date")
        revert_url = reverse("admin:corpus_app_expert_simple_history", args=[expert.pk, original.history_id])
        data = form_data(curator_admin.get(revert_url))
        assert data["role"] == "analyst"
        assert curator_admin.post(revert_url, data).status_code == 302
        expert.refresh_from_db()
        assert expert.role == "analyst"
        assert expert.history.count() == 3

    def test_a_deletion_is_listed_and_can_be_reverted_from_the_admin(self, curator_admin):
        """A deleted visit is listed among deleted records and can be restored from its history."""
        visit = VisitFactory(title="Deleted by mistake")
        visit.cities.add(CityFactory())
        pk = visit.pk
        assert (
            curator_admin.post(reverse("admin:corpus_app_visit_delete", args=[pk]), {"post": "yes"}).status_code == 302
        )
        assert not Visit.objects.filter(pk=pk).exists()
        deleted_page = curator_admin.get(reverse("admin:corpus_app_visit_deleted")).content.decode()
        assert "Deleted by mistake" in deleted_page
        assert reverse("admin:corpus_app_visit_history", args=[pk]) in deleted_page

        last_version = Visit.history.filter(id=pk, history_type="~").first() or Visit.history.filter(id=pk).earliest(
            "history_date"
        )
        revert_url = reverse("admin:corpus_app_visit_simple_history", args=[pk, last_version.history_id])
        data = form_data(curator_admin.get(revert_url))
        assert not Visit.objects.filter(pk=pk).exists()
        assert curator_admin.post(revert_url, data).status_code == 302
        restored = Visit.objects.get(pk=pk)
        assert restored.title == "Deleted by mistake"
        assert "Nothing deleted." in curator_admin.get(reverse("admin:corpus_app_visit_deleted")).content.decode()

    def test_a_city_that_visits_list_is_deleted_only_once_they_no_longer_do_and_nothing_is_lost(self, curator_admin):
        """Deleting a listed city would drop it from its visits with no entry in their history, and restoring it
        would not give it back to them: the delete page names the visits and deletes nothing, alone or selected
        on the list. Taken out of each visit first (an edit of the visit), it deletes; the city's restore and
        the visit's revert then give back both."""
        baku = CityFactory(name="Baku")
        visit = VisitFactory(title="Spring visit", cities=[baku])
        delete_url = reverse("admin:corpus_app_city_delete", args=[baku.pk])
        page = curator_admin.get(delete_url).content.decode()
        assert "Cannot delete city" in page
        assert f'<a href="{change_url(visit)}">Spring visit</a>, which lists Baku among its cities' in page
        assert "Yes, I’m sure" not in page
        assert curator_admin.post(delete_url, {"post": "yes"}).status_code == 200
        selected = {"action": "delete_selected", "_selected_action": [baku.pk], "post": "yes"}
        page = curator_admin.post(reverse("admin:corpus_app_city_changelist"), selected).content.decode()
        assert "Cannot delete city" in page and change_url(visit) in page
        assert list(visit.cities.all()) == [baku]

        listing = visit.history.latest("history_id")
        assert post_change(curator_admin, visit, cities=[]).status_code == 302
        assert curator_admin.post(delete_url, {"post": "yes"}).status_code == 302
        assert not City.objects.filter(pk=baku.pk).exists()

        restore(curator_admin, baku.history.earliest("history_id"))
        restore(curator_admin, listing)
        assert [city.name for city in Visit.objects.get(pk=visit.pk).cities.all()] == ["Baku"]

    def test_a_deleted_visit_or_article_is_restored_with_the_links_its_version_held(self, admin_client):
        """A visit's cities and an article's visits are recorded in their own history: a restore gives them back."""
        baku, ganja = CityFactory(), CityFactory()
        visit = VisitFactory(cities=[baku, ganja])
        article = ArticleFactory(visits=[visit])
        pk = article.pk
        for record in (article, visit):
            url = reverse(f"admin:corpus_app_{record._meta.model_name}_delete", args=[record.pk])
            assert admin_client.post(url, {"post": "yes"}).status_code == 302

        restore(admin_client, Visit.history.filter(id=visit.pk).exclude(history_type="-").latest("history_id"))
        assert set(Visit.objects.get(pk=visit.pk).cities.all()) == {baku, ganja}
        restore(admin_client, Article.history.filter(id=pk).exclude(history_type="-").latest("history_id"))
        assert list(Article.objects.get(pk=pk).visits.all()) == [Visit.objects.get(pk=visit.pk)]
        assert (stored_count(baku), stored_count(visit)) == (1, 1)

    def test_a_visit_that_articles_list_is_not_deleted(self, curator_admin):
        """Articles list the visits they cover: deleting one would drop it from them without a trace."""
        visit = VisitFactory(title="Spring visit")
        article = ArticleFactory(title="Lavrov in Baku", visits=[visit])
        page = curator_admin.get(reverse("admin:corpus_app_visit_delete", args=[visit.pk])).content.decode()
        assert f'<a href="{change_url(article)}">Lavrov in Baku</a>, which lists Spring visit among its visits' in page
        assert (
            curator_admin.post(reverse("admin:corpus_app_visit_delete", args=[visit.pk]), {"post": "yes"}).status_code
            == 200
        )
        assert list(article.visits.all()) == [visit]


def restore(client, version):
    """Saves `version` of its record from the admin's history, as a curator restoring or reverting it does."""
    model = version.instance_type
    url = reverse(f"admin:corpus_app_{model._meta.model_name}_simple_history", args=[version.id, version.history_id])
    assert client.post(url, form_data(client.get(url))).status_code == 302


def stored_count(record) -> int:
    field = {"city": "visit_count", "visit": "article_count"}[record._meta.model_name]
    return type(record)._base_manager.values_list(field, flat=True).get(pk=record.pk)


class TestRoles:
    def test_a_curator_may_not_delete_experts_or_articles(self, curator_admin):
        """The Curator role may not delete experts or articles."""
        expert = ExpertFactory()
        article = ArticleFactory()
        assert (
            curator_admin.post(reverse("admin:corpus_app_expert_delete", args=[expert.pk]), {"post": "yes"}).status_code
            == 403
        )
        assert (
            curator_admin.post(
                reverse("admin:corpus_app_article_delete", args=[article.pk]), {"post": "yes"}
            ).status_code
            == 403
        )
        assert Expert.objects.filter(pk=expert.pk).exists()
        assert Article.objects.filter(pk=article.pk).exists()

    def test_a_reader_may_view_but_not_change(self, client):
        """The Reader role may open a record but not change it."""
        reader = get_user_model().objects.create_user("reader", password="unused-in-tests-5", is_staff=True)
        reader.groups.add(Group.objects.get(name="Reader"))
        client.force_login(reader)
        expert = ExpertFactory(role="analyst")
        assert client.get(change_url(expert)).status_code == 200
        client.post(change_url(expert), {"role": "changed"})
        expert.refresh_from_db()
        assert expert.role == "analyst"


class TestImportExport:
    def test_export_as_csv(self, curator_admin):
        """Experts export as CSV with the chosen columns, alternate spellings included."""
        ExpertFactory(slug="elkhan-shahinoglu", alternate_names=["Elhan Shainoglu"])
        ExpertFactory(slug="zahid-oruj")
        response = curator_admin.post(
            reverse("admin:corpus_app_expert_export"),
            {
                "format": "0",
                "resource": "0",
                **{f"expertresource_{f}": "on" for f in ("slug", "name", "alternate_names")},
            },
        )
        assert response.status_code == 200
        body = response.content.decode()
        lines = body.splitlines()
        assert lines[0].startswith("slug,name,alternate_names")
        assert len(lines) == 3
        assert "Elhan Shainoglu" in next(line for line in lines if line.startswith("elkhan-shahinoglu,"))

    def test_export_as_json_names_relations_by_slug(self, curator_admin):
        """Quotes export as JSON naming their article, speaker and visit by slug."""
        visit = VisitFactory(slug="lavrov-azerbaijan-2015")
        lavrov = ExpertFactory(slug="sergei-lavrov")
        article = ArticleFactory(slug="why-lavrov-flew-to-aliyev", visits=[visit])
        QuoteFactory(article=article, speaker=lavrov, text="The minister arrived.")
        QuoteFactory(speaker=lavrov)
        fields = ("article", "text", "speaker", "visit")
        response = curator_admin.post(
            reverse("admin:corpus_app_quote_export"),
            {"format": "1", "resource": "0", **{f"quoteresource_{f}": "on" for f in fields}},
        )
        rows = json.loads(response.content)
        assert len(rows) == 2
        assert {
            "article": "why-lavrov-flew-to-aliyev",
            "speaker": "sergei-lavrov",
            "visit": "lavrov-azerbaijan-2015",
            "text": "The minister arrived.",
        } in rows

    def preview_quotes_import(self, client, row: str):
        """Upload a one-row CSV of quotes to the admin import; return the preview page."""
        csv_file = io.StringIO(f"article,text,speaker,visit,kind,notes\n{row}\n")
        csv_file.name = "quotes.csv"
        url = reverse("admin:corpus_app_quote_import")
        return client.post(url, {"import_file": csv_file, "format": "0", "resource": "0"})

    def test_import_preview_shows_row_errors_and_writes_nothing(self, curator_admin):
        """A quote row whose text is not in its article is shown as an error in the preview; nothing is written."""
        ArticleFactory(slug="why-lavrov-flew-to-aliyev")
        ExpertFactory(slug="sergei-lavrov")
        response = self.preview_quotes_import(
            curator_admin, "why-lavrov-flew-to-aliyev,Words nobody wrote,sergei-lavrov,,direct,"
        )
        assert response.status_code == 200
        assert "does not appear in the article" in response.content.decode()
        assert not Quote.objects.exists()

    def test_import_of_a_valid_row_is_previewed_then_confirmed(self, curator_admin):
        """A valid quote row is only previewed at first, and written once the preview is confirmed."""
        visit = VisitFactory(slug="lavrov-azerbaijan-2015")
        ArticleFactory(
            slug="why-lavrov-flew-to-aliyev", visits=[visit], body=body_quoting("Information is pretty scant.")
        )
        ExpertFactory(slug="sergei-lavrov")
        preview = self.preview_quotes_import(
            curator_admin,
            "why-lavrov-flew-to-aliyev,Information is pretty scant.,sergei-lavrov,lavrov-azerbaijan-2015,paraphrase,",
        )
        assert preview.status_code == 200 and not Quote.objects.exists()
        confirm = preview.context["confirm_form"]
        data = {name: confirm[name].value() for name in confirm.fields}
        assert curator_admin.post(reverse("admin:corpus_app_quote_process_import"), data).status_code == 302
        imported = Quote.objects.get()
        assert (imported.text, imported.kind, imported.speaker.slug, imported.visit) == (
            "Information is pretty scant.",
            "paraphrase",
            "sergei-lavrov",
            visit,
        )


def test_the_timeline_shows_each_dated_visit_with_its_counts(curator_admin):
    """The timeline draws each dated visit, oldest first, with its counts; undated visits are listed apart."""
    lavrov = ExpertFactory()
    busy = VisitFactory(slug="busy-2023", start_date=datetime.date(2023, 2, 27))
    quoted_article((lavrov, "The minister arrived."), (lavrov, "We expect progress,"), visits=[busy])
    quoted_article((lavrov, "We expect progress,"), visits=[busy])
    VisitFactory(slug="quiet-2016", start_date=datetime.date(2016, 1, 1), start_date_precision=DatePrecision.YEAR)
    VisitFactory(slug="manturov-announced", title="Manturov in Baku", undated=True, status="announced")

    response = curator_admin.get(reverse("admin:corpus_app_visit_timeline"))
    page = response.content.decode()
    assert response.status_code == 200 and "<svg" in page
    assert re.findall(r'class="visit-row" data-slug="([^"]+)"', page) == ["quiet-2016", "busy-2023"]
    busy_row = page.split('data-slug="busy-2023"')[1].split("</g>")[0]
    assert ">2 · 3<" in busy_row
    assert ">0 · 0<" in page.split('data-slug="quiet-2016"')[1].split("</g>")[0]
    assert "Manturov in Baku" in page.split("Visits without a date in the sources")[1]
    assert "Timeline of visits" in curator_admin.get(reverse("admin:index")).content.decode()


def one_of_each():
    """One row of every model: a quote in an article about a visit to a city, with a visitor."""
    QuoteFactory(article__visits=[VisitFactory(cities=[CityFactory()], visitors=[ExpertFactory()])])


# SQL statements of each changelist for a superuser (session, user, the page's queries, filters' choices:
# one for the countries in use, on cities, experts and visits). No second count of the unfiltered table
# (show_full_result_count), and no date hierarchy on articles.
CHANGELIST_QUERIES = {
    "article": 9,
    "city": 7,
    "expert": 7,
    "outlet": 6,
    "quote": 6,
    "visit": 12,
    "visitparticipant": 6,
}


@pytest.mark.parametrize("model, queries", CHANGELIST_QUERIES.items())
def test_changelist_queries_do_not_grow_with_rows(admin_client, count_queries, model, queries):
    """Each changelist runs exactly this many SQL statements, with one row of each model or with many."""
    url = reverse(f"admin:corpus_app_{model}_changelist")
    one_of_each()
    assert count_queries(lambda: admin_client.get(url)) == queries
    sample_corpus()
    response = admin_client.get(url)
    assert response.context["cl"].result_count >= 3
    assert count_queries(lambda: admin_client.get(url)) == queries


class TestRevertPermissions:
    """simple-history's revert page saves any POST from a user who may view the history: a Reader could edit."""

    @pytest.fixture
    def reader_admin(self, db):
        from django.test import Client

        user = get_user_model().objects.create_user("reader", password="unused-in-tests-5", is_staff=True)
        user.groups.add(Group.objects.get(name="Reader"))
        client = Client()
        client.force_login(user)
        return client

    def test_a_reader_sees_a_past_version_but_cannot_save_it(self, reader_admin, curator_admin):
        city = CityFactory(name="Baku")
        first = city.history.earliest()
        city.name = "Baku city"
        city.save()
        url = reverse("admin:corpus_app_city_simple_history", args=[city.pk, first.history_id])
        page = reader_admin.get(url)
        assert page.status_code == 200 and "View" in page.content.decode()
        data = {**form_data(curator_admin.get(url)), "name": "HACK"}
        assert reader_admin.post(url, data).status_code == 403
        city.refresh_from_db()
        assert city.name == "Baku city"

    def test_restoring_a_deleted_record_takes_the_add_permission(self, client):
        city = CityFactory(name="Ganja")
        pk = city.pk
        city.delete()
        deletion = City.history.filter(id=pk, history_type="-").get()
        editor = get_user_model().objects.create_user("editor", password="unused-in-tests-6", is_staff=True)
        editor.user_permissions.add(*Group.objects.get(name="Curator").permissions.exclude(codename="add_city"))
        client.force_login(editor)
        url = reverse("admin:corpus_app_city_simple_history", args=[pk, deletion.history_id])
        assert client.post(url, {"name": "Ganja", "slug": city.slug, "country": "AZ"}).status_code == 403
        assert not City.objects.filter(pk=pk).exists()

    def test_an_id_that_is_no_number_is_a_404(self, curator_admin):
        assert curator_admin.get("/admin/corpus_app/city/abc/history/1/").status_code == 404


def test_a_restored_record_comes_back_past_every_version_it_had(curator_admin):
    """An ETag kept from its first version must not match the restored record: If-Match would pass a stale edit."""
    city = CityFactory(name="Ganja")
    city.name = "Ganja city"
    city.save()
    first, pk = city.history.earliest(), city.pk
    city.delete()
    restore(curator_admin, first)
    restored = City.objects.get(pk=pk)
    assert restored.name == "Ganja" and restored.version == 3


def test_deleted_records_and_their_history_open_when_what_they_named_is_deleted_too(curator_admin):
    """Participants go before their visit (it is protected), so their deleted records name a deleted visit."""
    visit = VisitFactory(visitors=[ExpertFactory()])
    participation = visit.participations.get()
    pk, visit_pk = participation.pk, visit.pk
    participation.delete()
    visit.delete()
    deletion = VisitParticipant.history.filter(id=pk, history_type="-").get()
    for url in (
        reverse("admin:corpus_app_visitparticipant_deleted"),
        reverse("admin:corpus_app_visitparticipant_history", args=[pk]),
        reverse("admin:corpus_app_visitparticipant_simple_history", args=[pk, deletion.history_id]),
    ):
        response = curator_admin.get(url)
        assert response.status_code == 200, url
        assert f"(deleted visit {visit_pk})" in response.content.decode()


@pytest.mark.parametrize("record_id", ["abc", "99999999999999999999", "0"])
@pytest.mark.parametrize("page", ["history/", "history/1/", "change/"])
def test_an_admin_url_naming_no_possible_record_is_a_404(curator_admin, record_id, page):
    for model in ("expert", "city", "quote"):
        assert curator_admin.get(f"/admin/corpus_app/{model}/{record_id}/{page}").status_code in (302, 404)
