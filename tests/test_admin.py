"""The admin shows the corpus: every list and every record opens for a curator."""

import pytest
from django.urls import reverse

from corpus_app.models import Article, City, Expert, Outlet, Quote, Visit, VisitParticipant
from tests.factories import ExpertFactory

pytestmark = pytest.mark.django_db

MODELS = [Article, City, Expert, Outlet, Quote, Visit, VisitParticipant]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_changelist_and_change_page_opens(admin_client, sample_corpus, model):
    """Every model's changelist lists all its records, and a record's change page opens."""
    opts = model._meta
    changelist = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code == 200
    assert changelist.context["cl"].result_count == model.objects.count() >= 3
    record = model.objects.first()
    change = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk]))
    assert change.status_code == 200


def test_expert_found_by_alternate_spelling_in_admin_search(admin_client):
    """The admin's expert search finds an expert by an alternate spelling, non-ASCII included, and only them."""
    shahinoglu = ExpertFactory(name="Elkhan Shahinoglu", alternate_names=["Elhan Shainoglu"])
    shoigu = ExpertFactory(name="Sergey Shoigu", alternate_names=["Sergey Şoyqu"])
    ExpertFactory(name="Elkhan Other")
    url = reverse("admin:corpus_app_expert_changelist")
    assert list(admin_client.get(url, {"q": "Shainoglu"}).context["cl"].result_list) == [shahinoglu]
    assert list(admin_client.get(url, {"q": "Şoyqu"}).context["cl"].result_list) == [shoigu]


def test_admin_index_lists_the_corpus(admin_client):
    """The admin index lists the corpus models."""
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert b"Quotes" in response.content and b"Visits" in response.content
