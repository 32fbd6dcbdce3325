"""The admin shows the curated corpus: every list and every record opens for a curator."""

import pytest
from django.urls import reverse

from corpus_app.models import Article, City, Expert, Outlet, Quote, Visit

pytestmark = pytest.mark.django_db

MODELS = [Article, City, Expert, Outlet, Quote, Visit]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_changelist_and_change_page_opens(admin_client, corpus, model):
    opts = model._meta
    changelist = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code == 200
    record = model.objects.first()
    change = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk]))
    assert change.status_code == 200


def test_expert_found_by_alternate_spelling_in_admin_search(admin_client, corpus):
    response = admin_client.get(reverse("admin:corpus_app_expert_changelist"), {"q": "Shainoglu"})
    assert list(response.context["cl"].result_list) == [Expert.objects.get(slug="elkhan-shahinoglu")]


def test_admin_index_lists_the_corpus(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert b"Quotes" in response.content and b"Visits" in response.content
