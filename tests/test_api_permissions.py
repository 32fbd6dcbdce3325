"""Who may do what: anyone reads; writing needs a token and the model permission."""

import pytest
from django.urls import reverse
from rest_framework import status

from tests.api_payloads import RESOURCES, valid_payload
from tests.factories import OutletFactory

pytestmark = pytest.mark.django_db

BASENAMES = {
    "articles": "article",
    "visits": "visit",
    "visit-participants": "visitparticipant",
    "experts": "expert",
    "quotes": "quote",
    "outlets": "outlet",
    "cities": "city",
}


def list_url(resource):
    return reverse(f"{BASENAMES[resource]}-list")


def detail_url(resource, pk):
    return reverse(f"{BASENAMES[resource]}-detail", args=[pk])


def test_api_root_lists_every_endpoint(api_client):
    """The API root links every resource."""
    response = api_client.get(reverse("api-root"))
    assert response.status_code == status.HTTP_200_OK
    assert set(response.json()) == set(RESOURCES)


@pytest.mark.parametrize("resource", RESOURCES)
def test_anyone_may_read(api_client, sample_corpus, resource):
    """Anonymous clients read every list and every record."""
    response = api_client.get(list_url(resource))
    assert response.status_code == status.HTTP_200_OK
    first = response.json()["results"][0]
    assert api_client.get(detail_url(resource, first["id"])).status_code == status.HTTP_200_OK


@pytest.mark.parametrize("resource", RESOURCES)
def test_anonymous_write_is_401_with_a_token_challenge(api_client, resource):
    """A write without a token is 401 asking for one."""
    response = api_client.post(list_url(resource), valid_payload(resource), format="json")
    assert response.status_code == status.HTTP_401_UNAUTHORIZED
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("resource", RESOURCES)
def test_a_user_without_the_permission_may_not_write(reader_client, resource):
    """A user without the model permission may not create."""
    response = reader_client.post(list_url(resource), valid_payload(resource), format="json")
    assert response.status_code == status.HTTP_403_FORBIDDEN


@pytest.mark.parametrize("resource", RESOURCES)
def test_a_curator_creates_updates_and_deletes(curator_client, resource):
    """A curator creates, patches, replaces and deletes a record of every resource."""
    created = curator_client.post(list_url(resource), valid_payload(resource), format="json")
    assert created.status_code == status.HTTP_201_CREATED, created.json()
    pk = created.json()["id"]
    url = detail_url(resource, pk)

    patched = curator_client.patch(url, {"notes": "Checked."} if "notes" in created.json() else {}, format="json")
    assert patched.status_code == status.HTTP_200_OK, patched.json()

    full = {**valid_payload_for_update(resource, created.json())}
    replaced = curator_client.put(url, full, format="json")
    assert replaced.status_code == status.HTTP_200_OK, replaced.json()

    assert curator_client.delete(url).status_code == status.HTTP_204_NO_CONTENT
    assert curator_client.get(url).status_code == status.HTTP_404_NOT_FOUND


def valid_payload_for_update(resource, created):
    """A full replacement body built from the created record's read form (relations as ids)."""
    writable = {
        "outlets": ["slug", "name", "homepage", "country", "notes"],
        "cities": ["slug", "name", "country"],
        "experts": ["slug", "name", "alternate_names", "kind", "role", "affiliation", "country", "notes"],
        "visits": ["slug", "title", "host_country", "start_date", "start_date_precision", "notes"],
        "visit-participants": ["role", "office", "note"],
        "articles": ["slug", "title", "body", "language", "notes"],
        "quotes": ["text", "kind", "notes"],
    }[resource]
    body = {name: created[name] for name in writable}
    for relation in ("visit", "person", "article", "speaker"):
        if isinstance(created.get(relation), dict):
            body[relation] = created[relation]["id"]
    if "title" in body:
        body["title"] += " (revised)"
    return body


@pytest.mark.parametrize("method", ["patch", "put", "delete"])
def test_a_user_without_the_permission_may_not_change_or_delete(reader_client, method):
    """An authenticated user without the model permission may not change or delete a record."""
    outlet = OutletFactory(name="Turan")
    response = getattr(reader_client, method)(detail_url("outlets", outlet.pk), {"name": "Changed"}, format="json")
    assert response.status_code == status.HTTP_403_FORBIDDEN
    outlet.refresh_from_db()
    assert outlet.name == "Turan"


def test_session_authenticated_curator_may_write(client, curator):
    """A curator logged in with a session (the browsable API) may write."""
    client.force_login(curator)
    response = client.post(list_url("outlets"), valid_payload("outlets"), content_type="application/json")
    assert response.status_code == status.HTTP_201_CREATED


def test_an_invalid_token_is_401(api_client):
    """An unknown token is 401, even for a read."""
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api_client.get(list_url("quotes")).status_code == status.HTTP_401_UNAUTHORIZED
