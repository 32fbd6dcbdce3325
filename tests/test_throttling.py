"""Throttles count per client, and a client cannot get a fresh budget by forging X-Forwarded-For or by
reaching another worker process: counts live in a cache every process shares."""

import sys
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache.backends.filebased import FileBasedCache
from django.utils.module_loading import import_string
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory
from rest_framework.throttling import AnonRateThrottle

from config.ops.cache import cache_from_env
from tests.conftest import TEST_REDIS_URL
from tests.test_request_log import request_lines


@pytest.fixture
def two_per_minute(monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "rate", "2/minute", raising=False)


def statuses(client, addresses: list[str], **extra) -> list[int]:
    """The status of a GET of the outlets from each X-Forwarded-For value in turn."""
    return [client.get("/api/outlets/", HTTP_X_FORWARDED_FOR=address, **extra).status_code for address in addresses]


@pytest.mark.django_db
def test_a_forged_x_forwarded_for_does_not_reset_the_budget(api_client, two_per_minute):
    """With no trusted proxy (the default), X-Forwarded-For is ignored: the TCP peer is the client."""
    assert statuses(api_client, ["198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4"]) == [
        200,
        200,
        429,
        429,
    ]


@pytest.mark.django_db
def test_behind_one_trusted_proxy_the_address_it_saw_is_the_client(api_client, two_per_minute, settings, capsys):
    """API_TRUSTED_PROXIES=1: the last X-Forwarded-For entry, the one the proxy appended, names the client;
    whatever the client wrote before it is ignored."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    assert statuses(api_client, ["203.0.113.5", "6.6.6.6, 203.0.113.5"], **proxy) == [200, 200]
    assert statuses(api_client, ["7.7.7.7, 203.0.113.5"], **proxy) == [429]  # forged prefix, same client
    assert statuses(api_client, ["198.51.100.7"], **proxy) == [200]  # another client, its own budget
    lines = request_lines(capsys.readouterr().out)
    assert [line["remote_addr"] for line in lines] == ["203.0.113.5"] * 3 + ["198.51.100.7"]


def anonymous_request() -> Request:
    request = Request(APIRequestFactory().get("/api/outlets/"))
    request.user = AnonymousUser()
    return request


def throttle_using(cache, rate: str = "2/minute") -> AnonRateThrottle:
    """A fresh throttle, as each request gets, counting in `cache`."""
    return type("Throttle", (AnonRateThrottle,), {"cache": cache, "rate": rate})()


def test_two_processes_caches_on_one_directory_share_the_counts(tmp_path):
    """Each gunicorn worker opens its own cache on the directory: what one counts, the other sees."""
    first_worker = FileBasedCache(str(tmp_path), {})
    second_worker = FileBasedCache(str(tmp_path), {})
    assert throttle_using(first_worker).allow_request(anonymous_request(), None)
    assert throttle_using(second_worker).allow_request(anonymous_request(), None)
    assert not throttle_using(first_worker).allow_request(anonymous_request(), None)
    assert not throttle_using(second_worker).allow_request(anonymous_request(), None)


@pytest.mark.redis
def test_with_redis_url_the_counts_are_shared_through_redis(monkeypatch):
    monkeypatch.setenv("REDIS_URL", TEST_REDIS_URL)
    monkeypatch.delenv("CACHE_URL", raising=False)
    config = cache_from_env(default_directory=None)
    assert config["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    # A prefix of this run's own: the Redis server may be shared, so the test never clears it.
    options = {"KEY_PREFIX": f"corpus-test-{uuid.uuid4().hex}"}
    first_machine, second_machine = (import_string(config["BACKEND"])(config["LOCATION"], options) for _ in "ab")
    try:
        assert throttle_using(first_machine).allow_request(anonymous_request(), None)
        assert throttle_using(second_machine).allow_request(anonymous_request(), None)
        assert not throttle_using(first_machine).allow_request(anonymous_request(), None)
    finally:
        first_machine.delete("throttle_anon_127.0.0.1")


def test_off_turns_a_throttle_off_and_other_rates_stand():
    """`make bench` sets API_THROTTLE_ANON=off: DRF counts nothing for a rate of None."""
    from tests.test_settings import run

    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'])"
    )
    result = run(
        [sys.executable, "-c", script], DJANGO_DEBUG="1", API_THROTTLE_ANON="off", API_THROTTLE_USER="5/minute"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "{'anon': None, 'user': '5/minute', 'ingest': '600/hour', 'export_anon': '60/hour'}"


@pytest.mark.django_db
def test_the_user_rate_counts_authenticated_clients_only(api_client, reader_client, monkeypatch):
    """Anonymous clients are held to the anonymous rate alone: one count per request, not two."""
    from corpus_app.api.throttles import AuthenticatedUserRateThrottle

    monkeypatch.setattr(AuthenticatedUserRateThrottle, "rate", "1/minute", raising=False)
    assert [api_client.get("/api/outlets/").status_code for _ in range(3)] == [200, 200, 200]
    assert [reader_client.get("/api/outlets/").status_code for _ in range(2)] == [200, 429]


@pytest.mark.django_db
def test_an_unreachable_cache_is_a_503_saying_rates_cannot_be_checked(api_client, monkeypatch):
    """Redis down: no rate can be checked. Not a 500, and not every request let through unmetered."""
    from django.core.cache.backends.redis import RedisCache

    from corpus_app.api import throttles

    dead = RedisCache("redis://127.0.0.1:1/0", {})  # nothing listens on port 1
    monkeypatch.setattr(throttles.CorpusAnonRateThrottle, "cache", dead, raising=False)
    monkeypatch.setattr(throttles.CorpusAnonRateThrottle, "rate", "100/minute", raising=False)
    response = api_client.get("/api/outlets/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert response.json()["detail"].startswith("Request rates cannot be checked just now")
