"""Reading the audit trail: what was deleted, once per record, and only while it stays deleted."""

import pytest

from corpus_app.models import Expert
from corpus_app.services.history import deleted_records
from tests.factories import ExpertFactory

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
