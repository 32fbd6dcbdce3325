"""Several clients writing at once each get an answer, never a 500: on SQLite, `make run`'s database, a
write waits its turn (settings: BEGIN IMMEDIATE, a busy timeout) instead of failing "database is locked"."""

import threading

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import CityFactory

WRITERS, WRITES = 4, 5


@pytest.mark.django_db(transaction=True)
def test_writers_at_once_each_get_an_answer(curator):
    city = CityFactory(name="Baku")
    token = Token.objects.create(user=curator).key
    statuses = []

    def write(writer):
        client = APIClient(raise_request_exception=False)  # a 500 is a status to count, not a thread's death
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        try:
            for n in range(WRITES):
                city_data = {"name": f"City {writer}-{n}", "slug": f"city-{writer}-{n}", "country": "AZ"}
                created = client.post("/api/cities/", city_data, format="json")
                renamed = client.patch(f"/api/cities/{city.pk}/", {"name": f"Baku {writer}-{n}"}, format="json")
                statuses.extend([created.status_code, renamed.status_code])
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(writer,)) for writer in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(statuses) == 2 * WRITERS * WRITES
    assert set(statuses) <= {200, 201}, sorted(statuses)
