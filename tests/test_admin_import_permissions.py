"""Import and export in the admin follow the model permissions: export needs view, import add and change."""

import io

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from corpus_app.models import Expert
from tests.factories import ExpertFactory

pytestmark = pytest.mark.django_db

CORPUS_ADMINS = [model for model in admin.site._registry if model._meta.app_label == "corpus_app"]


def staff_user(username, group=None, permissions=()):
    user = get_user_model().objects.create_user(username, password="unused-in-tests-6", is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    user.user_permissions.set(Permission.objects.filter(codename__in=permissions))
    return user


# Staff users who may not import, each with the reason.
NO_IMPORT = {
    "reader": {"group": "Reader"},
    "no permission": {},
    "view and change, no add": {"permissions": ["view_expert", "change_expert"]},
    "view and add, no change": {"permissions": ["view_expert", "add_expert"]},
}


def url(model, action):
    return reverse(f"admin:corpus_app_{model._meta.model_name}_{action}")


def experts_csv(*rows):
    csv_file = io.StringIO("slug,name,kind\n" + "".join(f"{row}\n" for row in rows))
    csv_file.name = "experts.csv"
    return {"import_file": csv_file, "format": "0", "resource": "0"}


def confirm_data(preview):
    confirm = preview.context["confirm_form"]
    return {name: confirm[name].value() for name in confirm.fields}


@pytest.fixture
def curator_admin(client):
    client.force_login(staff_user("curator", group="Curator"))
    return client


@pytest.mark.parametrize("who", NO_IMPORT)
def test_import_form_and_preview_are_refused_without_add_and_change(client, who):
    """Without both add and change on the model, the import form and its preview answer 403; nothing is written."""
    client.force_login(staff_user("someone", **NO_IMPORT[who]))
    assert client.get(url(Expert, "import")).status_code == 403
    assert client.post(url(Expert, "import"), experts_csv("new-one,New One,analyst")).status_code == 403
    assert not Expert.objects.exists()


@pytest.mark.parametrize("who", NO_IMPORT)
def test_a_confirm_posted_without_import_permission_is_refused(client, who):
    """Posting a curator's previewed confirm form without add and change answers 403 and writes nothing."""
    curator = staff_user("curator", group="Curator")
    ExpertFactory(slug="kept", name="Kept", role="analyst")
    client.force_login(curator)
    data = confirm_data(client.post(url(Expert, "import"), experts_csv("kept,Overwritten,analyst", "new,New,analyst")))

    client.force_login(staff_user("someone", **NO_IMPORT[who]))
    assert client.post(url(Expert, "process_import"), data).status_code == 403
    assert list(Expert.objects.values_list("slug", "name")) == [("kept", "Kept")]


def test_a_curator_imports_new_and_changed_rows(curator_admin):
    """The Curator role previews and confirms an import that both adds a record and changes one."""
    ExpertFactory(slug="kept", name="Kept")
    preview = curator_admin.post(url(Expert, "import"), experts_csv("kept,Renamed,analyst", "new,New,analyst"))
    assert preview.status_code == 200
    assert curator_admin.post(url(Expert, "process_import"), confirm_data(preview)).status_code == 302
    assert dict(Expert.objects.values_list("slug", "name")) == {"kept": "Renamed", "new": "New"}


@pytest.mark.parametrize("model", CORPUS_ADMINS, ids=lambda m: m.__name__)
def test_every_admin_refuses_import_to_a_reader_and_export_to_staff_without_permission(client, model):
    """On every model: a Reader may export but not import; staff without permission may do neither."""
    client.force_login(staff_user("reader", group="Reader"))
    assert client.get(url(model, "import")).status_code == 403
    assert client.post(url(model, "process_import"), {}).status_code == 403
    assert client.get(url(model, "export")).status_code == 200

    client.force_login(staff_user("nobody"))
    for action in ("import", "export"):
        assert client.get(url(model, action)).status_code == 403
        assert client.post(url(model, action), {"format": "0", "resource": "0"}).status_code == 403
    assert client.post(url(model, "process_import"), {}).status_code == 403


def test_export_needs_the_view_permission(client):
    """Export gives the file to a Reader and 403 to staff without the view permission."""
    ExpertFactory(slug="exported")
    form = {"format": "0", "resource": "0", "expertresource_slug": "on"}
    client.force_login(staff_user("reader", group="Reader"))
    response = client.post(url(Expert, "export"), form)
    assert response.status_code == 200 and "exported" in response.content.decode()

    client.force_login(staff_user("other", permissions=["view_city"]))
    assert client.post(url(Expert, "export"), form).status_code == 403


def test_the_changelist_offers_only_what_the_user_may_do(client, curator_admin):
    """A Reader's list offers Export but not Import; a Curator's offers both."""
    changelist = url(Expert, "changelist")
    page = curator_admin.get(changelist).content.decode()
    assert url(Expert, "import") in page and url(Expert, "export") in page

    client.force_login(staff_user("reader", group="Reader"))
    page = client.get(changelist).content.decode()
    assert url(Expert, "import") not in page and url(Expert, "export") in page


def test_the_timeline_needs_the_view_permission_on_visits(client):
    """The visit timeline answers 403 to staff who may not see visits, and its link is not offered to them."""
    client.force_login(staff_user("nobody", permissions=["view_expert"]))
    assert client.get(reverse("admin:corpus_app_visit_timeline")).status_code == 403
    assert "Timeline of visits" not in client.get(reverse("admin:index")).content.decode()

    client.force_login(staff_user("reader", group="Reader"))
    assert client.get(reverse("admin:corpus_app_visit_timeline")).status_code == 200
