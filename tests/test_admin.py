"""The admin shows the corpus: every list and every record opens for a curator."""

import pytest
from django.urls import reverse

from corpus_app.models import Article, City, Expert, Outlet, Quote, Visit, VisitParticipant
from tests.factories import ExpertFactory, QuoteFactory

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


def test_the_quotes_list_cuts_long_text_and_gives_it_whole_on_hover(admin_client):
    """A long quote and its article's long title are cut at a word in the list, each whole in the cell's tooltip."""
    text = "The sides agreed that the normalisation process would continue, " * 5
    title = "Scene-setter: what makes Lavrov's Baku visit pivotal amid the Kremlin's string of setbacks with the West"
    QuoteFactory(text=text.strip(), article__title=title)
    page = admin_client.get(reverse("admin:corpus_app_quote_changelist")).content.decode()
    cut = "The sides agreed that the normalisation process would continue, The sides agreed"
    assert f'<span title="{text.strip()}">{cut}' in page
    assert f'<span title="{title.replace(chr(39), "&#x27;")}">Scene-setter: what makes Lavrov&#x27;s Baku visit' in page
