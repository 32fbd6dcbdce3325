"""Many clients at once on PostgreSQL: no 500, no lost update, no lost delete, and the counts add up.

Eight client threads, each its own HTTP client, drive the live server, whose request threads each
use a database connection of their own. They update the same experts (with and without If-Match),
delete some of them while others update them, create experts (some under the same slug), and read.
Every answer is recorded; afterwards the database must agree with every answer that said a change
was made: an update acknowledged with version v is in the record's history at v, the record's
version counts its acknowledged updates, a record acknowledged as deleted is gone, each slug was
created once. The sequence of operations is fixed (seeded), and bounded: about 110 requests.
"""

import json
import random
import threading
import urllib.error
import urllib.request
from collections import Counter, defaultdict

import pytest
from rest_framework.authtoken.models import Token

from corpus_app.models import Expert
from tests.factories import ExpertFactory

pytestmark = pytest.mark.postgres

CLIENTS = 8
OPERATIONS_PER_CLIENT = 12
# What each operation may answer: anything else (a 500 above all) fails the test.
ALLOWED = {
    "update_if_match": {200, 404, 409, 412},  # 409: another update claimed the version between check and save
    "update": {200, 404, 409},
    "delete_if_match": {204, 404, 412},
    "delete": {204, 404, 409},
    "create_shared": {201, 400, 409},  # 400: slug taken; 409: taken in a race past validation
    "create_own": {201},
    "read": {200},
}


class Client:
    def __init__(self, url: str, token: str):
        self.url, self.token = url, token

    def call(self, method: str, path: str, body: dict | None = None, **headers) -> tuple[int, dict, dict]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Authorization", f"Token {self.token}")
        request.add_header("Content-Type", "application/json")
        for name, value in headers.items():
            request.add_header(name.replace("_", "-"), value)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                payload = response.read()
                return response.status, dict(response.headers), json.loads(payload) if payload else {}
        except urllib.error.HTTPError as error:
            payload = error.read()
            try:
                return error.code, dict(error.headers), json.loads(payload)
            except ValueError:
                return error.code, dict(error.headers), {"raw": payload[:300].decode(errors="replace")}


def run_client(number: int, client: Client, shared: list[int], doomed: list[int], results: list, start):
    rng = random.Random(number)
    start.wait()
    for step in range(OPERATIONS_PER_CLIENT):
        operation = rng.choice(
            ["update_if_match", "update_if_match", "update", "update", "delete_if_match", "delete"]
            + ["create_shared", "create_own", "read"]
        )
        marker = f"client {number} step {step}"
        if operation.startswith("update"):
            pk = rng.choice(shared + doomed)
            headers = {}
            if operation == "update_if_match":
                status, answer, _ = client.call("GET", f"/api/experts/{pk}/")
                if status != 200:
                    results.append((operation, pk, marker, status, None))
                    continue
                headers["If_Match"] = answer["ETag"]
            status, _, body = client.call("PATCH", f"/api/experts/{pk}/", {"role": marker}, **headers)
            results.append((operation, pk, marker, status, body.get("version")))
        elif operation.startswith("delete"):
            pk = rng.choice(doomed)
            headers = {"If_Match": '"1"'} if operation == "delete_if_match" else {}
            status, _, body = client.call("DELETE", f"/api/experts/{pk}/", **headers)
            results.append((operation, pk, marker, status, None))
        elif operation.startswith("create"):
            slug = f"shared-{rng.randrange(3)}" if operation == "create_shared" else f"own-{number}-{step}"
            status, _, body = client.call("POST", "/api/experts/", {"name": slug, "slug": slug, "kind": "analyst"})
            results.append((operation, slug, marker, status, body.get("id")))
        else:
            status, _, _ = client.call("GET", "/api/experts/?page_size=5")
            results.append((operation, None, marker, status, None))


def test_concurrent_clients_lose_no_update_and_no_delete(live_server, curator):
    shared = [ExpertFactory(role="original").pk for _ in range(4)]
    doomed = [ExpertFactory(role="original").pk for _ in range(4)]
    before = Expert.objects.count()
    token = Token.objects.create(user=curator).key
    results, start = [], threading.Barrier(CLIENTS)
    threads = [
        threading.Thread(target=run_client, args=(n, Client(live_server.url, token), shared, doomed, results, start))
        for n in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(results) == CLIENTS * OPERATIONS_PER_CLIENT

    unexpected = [result for result in results if result[3] not in ALLOWED[result[0]]]
    assert not unexpected, unexpected
    statuses = Counter((operation, status) for operation, _, _, status, _ in results)
    assert statuses[("update", 200)] + statuses[("update_if_match", 200)] > 0, statuses  # the test did something
    conflicts = [(operation, status) for operation, status in statuses if status in (409, 412)]
    assert conflicts, statuses  # clients did collide

    # Deletes: a record acknowledged as deleted is gone (no update brought it back). Two deletes that
    # both read the record before either committed may both answer 204: DELETE is idempotent.
    deleted = {pk for operation, pk, _, status, _ in results if operation.startswith("delete") and status == 204}
    assert not Expert.objects.filter(pk__in=deleted).exists()
    for pk in doomed:  # nor in between: no record is created again after its deletion
        kinds = "".join(
            Expert.history.filter(id=pk).order_by("history_date", "history_id").values_list("history_type", flat=True)
        )
        assert "-+" not in kinds and "-~" not in kinds, (pk, kinds)

    # Updates: each acknowledged version is in the history with its change; the version counts them.
    acknowledged = defaultdict(dict)
    for operation, pk, marker, status, version in results:
        if operation.startswith("update") and status == 200:
            assert version not in acknowledged[pk], f"two updates of expert {pk} both answered version {version}"
            acknowledged[pk][version] = marker
    for pk in shared:
        expert = Expert.objects.get(pk=pk)
        versions = acknowledged[pk]
        assert expert.version == 1 + len(versions), (pk, expert.version, sorted(versions))
        history = {row.version: row.role for row in expert.history.all()}
        assert all(history[version] == marker for version, marker in versions.items()), (history, versions)
        assert expert.role == (versions[max(versions)] if versions else "original")

    # Creates: one per shared slug, every own slug; the count adds up.
    created = [slug for operation, slug, _, status, _ in results if operation.startswith("create") and status == 201]
    assert len(created) == len(set(created))
    assert {slug for slug in created if slug.startswith("shared-")} == {
        slug for operation, slug, _, _, _ in results if operation == "create_shared"
    }
    assert Expert.objects.count() == before + len(created) - len(deleted)
