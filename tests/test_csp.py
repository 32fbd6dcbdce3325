"""Content-Security-Policy: every page sends a strict policy, and the pages hold nothing it would refuse.

tests/test_browser.py checks in Chromium that the pages work under it; these check the header and
the markup without a browser.
"""

import io
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from corpus_app.models import Article, City, Expert, Outlet, Quote, Visit, VisitParticipant
from tests.factories import ExpertFactory

pytestmark = pytest.mark.django_db

STRICT = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
}


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(directive.strip().partition(" ")[::2] for directive in header.split(";"))


class InlineCode(HTMLParser):
    """What a page carries inline that a policy without 'unsafe-inline' refuses."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and "src" not in attributes and attributes.get("type") != "application/json":
            self.found.append(f"inline <script> at line {self.getpos()[0]}")
        if tag == "style" and "nonce" not in attributes:
            self.found.append(f"<style> without a nonce at line {self.getpos()[0]}")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}> at line {self.getpos()[0]}")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value!r}> at line {self.getpos()[0]}")


def inline_code(response) -> list[str]:
    parser = InlineCode()
    parser.feed(response.content.decode())
    return parser.found


def admin_urls(sample):
    """Every kind of admin page a curator opens, on the records of `sample`."""
    urls = [reverse("admin:index"), reverse("admin:corpus_app_visit_timeline"), reverse("admin:password_change")]
    for model in (Article, City, Expert, Outlet, Quote, Visit, VisitParticipant):
        name = f"admin:corpus_app_{model._meta.model_name}"
        record = model.objects.first()
        urls += [reverse(f"{name}_{page}") for page in ("changelist", "add", "import", "export", "deleted")]
        urls += [reverse(f"{name}_{page}", args=[record.pk]) for page in ("change", "history", "delete")]
        urls.append(reverse(f"{name}_simple_history", args=[record.pk, record.history.earliest().history_id]))
    return urls


def test_every_admin_page_sends_the_strict_policy_and_holds_nothing_inline(admin_client, sample_corpus):
    """Every admin page a curator opens has the strict policy and no inline script, style or handler."""
    offenders = {}
    for url in admin_urls(sample_corpus):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert policy(response) == STRICT, url
        if found := inline_code(response):
            offenders[url] = found
    assert not offenders


def test_the_login_page_and_the_lockout_page_hold_nothing_inline(client):
    """The login page, and the page a locked-out login gets, hold nothing the policy refuses."""
    login = client.get(reverse("admin:login"))
    assert policy(login) == STRICT and not inline_code(login)
    get_user_model().objects.create_user("ana", password="right-password-1", is_staff=True)
    for _ in range(5):
        locked = client.post(reverse("admin:login"), {"username": "ana", "password": "wrong"})
    assert locked.status_code == 429
    assert policy(locked) == STRICT and not inline_code(locked)


def test_the_browsable_apis_login_and_log_out_hold_nothing_inline(client):
    """The API's login page has the strict policy and nothing inline; a logged-in page logs out by a form, without
    DRF's inline onclick."""
    login = client.get(reverse("rest_framework:login"))
    assert policy(login) == STRICT and not inline_code(login)
    client.force_login(get_user_model().objects.create_user("reader"))
    page = client.get(reverse("expert-list"), HTTP_ACCEPT="text/html")
    assert "Log out</button>" in page.content.decode()
    assert [found for found in inline_code(page) if " style=" not in found] == []


def test_an_import_preview_holds_nothing_inline(client):
    """An import preview's diff marks changes with plain <ins>/<del>, which import.css colours."""
    user = get_user_model().objects.create_user("curator", is_staff=True)
    user.groups.add(Group.objects.get(name="Curator"))
    client.force_login(user)
    ExpertFactory(slug="velizade", role="analyst")
    csv_file = io.StringIO("slug,name,kind,role\nvelizade,Ilgar Velizade,analyst,political scientist\n")
    csv_file.name = "experts.csv"
    preview = client.post(
        reverse("admin:corpus_app_expert_import"), {"import_file": csv_file, "format": "0", "resource": "0"}
    )
    page = preview.content.decode()
    assert "<del>analy</del><ins>political scienti</ins><span>st</span>" in page
    assert not inline_code(preview)


def test_swagger_ui_is_served_with_its_script_as_a_file(client):
    """Swagger UI's page has only scripts from files; its start-up script is served at ?script."""
    page = client.get(reverse("swagger-ui"))
    assert policy(page) == STRICT and not inline_code(page)
    html = page.content.decode()
    assert f'<script src="{reverse("swagger-ui")}?script="></script>' in html
    script = client.get(reverse("swagger-ui"), {"script": ""})
    assert script["Content-Type"] == "application/javascript"
    assert "SwaggerUIBundle(" in script.content.decode()


def test_the_browsable_api_allows_style_attributes_and_its_nonced_style_only(client, sample_corpus):
    """The browsable API's pages allow style attributes (DRF's layout) and its one <style> by nonce; scripts stay
    strict. JSON answers carry the strict policy."""
    page = client.get(reverse("expert-list"), HTTP_ACCEPT="text/html")
    directives = policy(page)
    nonce = directives["style-src"].removeprefix("'self' 'nonce-").removesuffix("'")
    assert directives == {**STRICT, "style-src": f"'self' 'nonce-{nonce}'", "style-src-attr": "'unsafe-inline'"}
    assert f'<style nonce="{nonce}">' in page.content.decode()
    assert [found for found in inline_code(page) if " style=" not in found] == []

    assert policy(client.get(reverse("expert-list"), HTTP_ACCEPT="application/json")) == STRICT
