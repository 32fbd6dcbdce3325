"""The admin's search boxes and pickers use the API's search engine; curators keep the synonym table."""

import pytest
from django.urls import reverse

from corpus_app.models import SearchSynonym
from tests.factories import ArticleFactory, ExpertFactory, QuoteFactory

pytestmark = pytest.mark.django_db


def changelist(client, model, q):
    response = client.get(reverse(f"admin:corpus_app_{model}_changelist"), {"q": q})
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_changelist_search_folds_spellings_and_finds_misspelt_names(admin_client):
    shoigu = ExpertFactory(name="Sergey Shoigu", alternate_names=["Sergey Şoyqu"])
    ExpertFactory(name="Sergei Lavrov")
    quote = QuoteFactory(speaker=shoigu)
    article = ArticleFactory(body="Minister Şoyqu arrived in Baku.")
    assert changelist(admin_client, "expert", "Soyqu") == [shoigu]
    assert changelist(admin_client, "expert", "Shoygu") == [shoigu]
    assert changelist(admin_client, "quote", "Shoigu") == [quote]
    assert changelist(admin_client, "article", "Shoigu arrived") == [article]


def test_a_search_the_engine_refuses_says_why(admin_client):
    response = admin_client.get(reverse("admin:corpus_app_article_changelist"), {"q": "the of"})
    assert list(response.context["cl"].result_list) == []
    assert "Nothing to search for" in response.content.decode()


def test_a_picker_finds_a_record_by_the_start_of_its_name(admin_client):
    """Autocomplete (a quote's speaker) matches as the curator types, by name, not by what a record says."""
    shoigu = ExpertFactory(name="Sergey Shoigu")
    ExpertFactory(name="Rasim Musabekov", role="Writes about Shoigu")
    params = {"app_label": "corpus_app", "model_name": "quote", "field_name": "speaker"}
    for typed in ("Shoi", "sergey sho", "Şoyq"):
        found = admin_client.get(reverse("admin:autocomplete"), {**params, "term": typed}).json()["results"]
        assert [int(result["id"]) for result in found] == [shoigu.pk], typed


def test_curators_keep_the_synonym_table_and_overlapping_groups_are_refused(client, curator):
    curator.is_staff = True
    curator.save()
    client.force_login(curator)
    add = reverse("admin:corpus_app_searchsynonym_add")
    response = client.post(add, {"spellings": "Zangezur\nZangazur", "note": "Seed 001.", "version": 1})
    assert response.status_code == 302, response.context["adminform"].form.errors
    group = SearchSynonym.objects.get()
    assert group.folded == ["zangazur", "zangezur"]
    overlapping = client.post(add, {"spellings": "Zängezur\nZangezour", "version": 1})
    assert "already in the group" in overlapping.content.decode() and SearchSynonym.objects.count() == 1
    one_spelling = client.post(add, {"spellings": "Garabagh\nQarabağ", "version": 1})
    assert "already fold to one" in one_spelling.content.decode()
