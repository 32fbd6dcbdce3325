"""An expert's alternate names in the admin: a text box, one spelling a line, not JSON."""

import pytest
from django.urls import reverse

from corpus_app.models import Expert
from tests.admin_forms import form_data
from tests.factories import ExpertFactory

pytestmark = pytest.mark.django_db


def change_url(expert):
    return reverse("admin:corpus_app_expert_change", args=[expert.pk])


def save_alternate_names(client, expert, text):
    data = form_data(client.get(change_url(expert)))
    data["alternate_names"] = text
    return client.post(change_url(expert), data)


def test_the_saved_spellings_are_shown_one_a_line(admin_client):
    """The change page shows the saved spellings one a line, in their order, with no JSON brackets or quotes."""
    expert = ExpertFactory(name="Elkhan Shahinoglu", alternate_names=["Elhan Shainoglu", "Şahinoğlu"])
    page = admin_client.get(change_url(expert)).content.decode()
    assert '<textarea name="alternate_names"' in page
    assert ">\nElhan Shainoglu\nŞahinoğlu</textarea>" in page


def test_lines_are_stripped_and_blank_lines_and_repeats_dropped(admin_client):
    """Pasted lines are saved stripped, without blank lines, and a repeat (letter case aside) once, the first kept."""
    expert = ExpertFactory(name="Elkhan Shahinoglu")
    response = save_alternate_names(admin_client, expert, "  Elhan Shainoglu \r\n\r\n Shainoglu\r\nSHAINOGLU\r\n  \r\n")
    assert response.status_code == 302
    assert Expert.objects.get(pk=expert.pk).alternate_names == ["Elhan Shainoglu", "Shainoglu"]
    assert Expert.objects.filter(search_names__contains="Shainoglu").get() == expert


def test_an_empty_box_saves_no_alternate_names(admin_client):
    """Emptying the box removes every alternate spelling."""
    expert = ExpertFactory(alternate_names=["Old Spelling"])
    assert save_alternate_names(admin_client, expert, "\r\n").status_code == 302
    assert Expert.objects.get(pk=expert.pk).alternate_names == []


@pytest.mark.parametrize(
    "text, message",
    [
        ("Elkhan Shahinoglu", "A spelling is repeated, or repeats the name."),
        ("Zahid Oruj", "&#x27;Zahid Oruj&#x27; is already the name of another expert (zahid-oruj)."),
        ("x" * 201, "At most 50 spellings of at most 200 characters each."),
    ],
)
def test_a_wrong_spelling_is_refused_under_the_field_with_the_text_kept(admin_client, text, message):
    """A spelling the model refuses is reported under the alternate names, and the box keeps what was typed."""
    ExpertFactory(name="Zahid Oruj", slug="zahid-oruj")
    expert = ExpertFactory(name="Elkhan Shahinoglu", alternate_names=["Shainoglu"])
    response = save_alternate_names(admin_client, expert, f"Shainoglu\r\n{text}")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["alternate_names"] == [message.replace("&#x27;", "'")]
    page = response.content.decode()
    assert message in page.split('<div class="form-row errors field-alternate_names">')[1].split("</textarea>")[0]
    assert f">\nShainoglu\r\n{text}</textarea>" in page
    assert Expert.objects.get(pk=expert.pk).alternate_names == ["Shainoglu"]
