"""Production settings from the environment: HTTPS by default with debug off, Django's deploy check
clean, and each way of serving (behind a proxy, on Redis, with persistent connections) one variable away."""

import json
import secrets
import sys

import pytest

from tests.test_settings import ROOT, run

PRODUCTION = {"DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "DJANGO_ALLOWED_HOSTS": "corpus.example.org"}
PRINT_OPS_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "ssl_redirect": s.SECURE_SSL_REDIRECT, "hsts": s.SECURE_HSTS_SECONDS,
    "hsts_subdomains": s.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "hsts_preload": s.SECURE_HSTS_PRELOAD, "secure_cookies": [s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE],
    "proxy_ssl_header": s.SECURE_PROXY_SSL_HEADER, "csrf_trusted_origins": s.CSRF_TRUSTED_ORIGINS,
    "cache": s.CACHES["default"], "num_proxies": s.REST_FRAMEWORK["NUM_PROXIES"],
    "conn": [s.DATABASES["default"]["CONN_MAX_AGE"], s.DATABASES["default"]["CONN_HEALTH_CHECKS"]],
    "request_log_level": s.LOGGING["loggers"]["corpus.requests"]["level"],
    "static_root": str(s.STATIC_ROOT),
    "middleware": s.MIDDLEWARE[s.MIDDLEWARE.index("django.middleware.security.SecurityMiddleware"):][:2],
    "logged_first": s.MIDDLEWARE[0],
}))
"""


def ops_settings(**env) -> dict:
    result = run([sys.executable, "-c", PRINT_OPS_SETTINGS], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


BEHIND_A_TLS_PROXY = {"DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto: https"}


@pytest.mark.parametrize("setup", [{}, BEHIND_A_TLS_PROXY], ids=["https-itself", "behind-a-tls-proxy"])
def test_the_deploy_check_passes_with_production_settings(setup):
    """`manage.py check --deploy --fail-level WARNING` with a key and a host name set: serving HTTPS
    itself, or behind a proxy that terminates TLS and redirects (the README's example)."""
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_ENV_FILE="",
        **PRODUCTION,
        **setup,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_debug_off_means_https_hsts_secure_cookies_and_shared_file_cache():
    assert ops_settings(**PRODUCTION) == {
        "ssl_redirect": True,
        "hsts": 365 * 24 * 3600,
        "hsts_subdomains": True,
        "hsts_preload": False,
        "secure_cookies": [True, True],
        "proxy_ssl_header": None,
        "csrf_trusted_origins": [],
        "cache": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(ROOT / "var/cache"),
        },
        "num_proxies": 0,
        "conn": [0, False],
        "request_log_level": "INFO",
        "logged_first": "config.ops.request_log.RequestLogMiddleware",
        "static_root": str(ROOT / "staticfiles"),
        "middleware": ["django.middleware.security.SecurityMiddleware", "whitenoise.middleware.WhiteNoiseMiddleware"],
    }


def test_behind_a_tls_proxy_on_redis_with_persistent_connections():
    configured = ops_settings(
        **PRODUCTION,
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto: https",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://corpus.example.org",
        API_TRUSTED_PROXIES="1",
        REDIS_URL="redis://:pw@127.0.0.1:6379/1",
        DATABASE_CONN_MAX_AGE="60",
        DJANGO_REQUEST_LOG_LEVEL="warning",
        DJANGO_STATIC_ROOT="/srv/corpus/static",
    )
    assert configured["ssl_redirect"] is False
    assert configured["secure_cookies"] == [True, True] and configured["hsts"] > 0  # the browser still sees HTTPS
    assert configured["proxy_ssl_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert configured["csrf_trusted_origins"] == ["https://corpus.example.org"]
    assert configured["cache"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://:pw@127.0.0.1:6379/1",
    }
    assert configured["num_proxies"] == 1
    assert configured["conn"] == [60, True]
    assert configured["request_log_level"] == "WARNING"
    assert configured["static_root"] == "/srv/corpus/static"


@pytest.mark.parametrize(
    "url, backend, location",
    [
        ("file:///var/cache/corpus", "filebased.FileBasedCache", "/var/cache/corpus"),
        ("locmem://", "locmem.LocMemCache", None),
        ("rediss://cache.example.org:6380/0", "redis.RedisCache", "rediss://cache.example.org:6380/0"),
    ],
)
def test_cache_url_names_the_backend(monkeypatch, url, backend, location):
    from config.ops.cache import cache_from_env

    monkeypatch.setenv("CACHE_URL", url)
    config = cache_from_env(ROOT / "var/cache")
    assert config["BACKEND"] == f"django.core.cache.backends.{backend}"
    assert config.get("LOCATION") == location


def test_an_unknown_cache_url_refuses_without_echoing_it(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from config.ops.cache import cache_from_env

    monkeypatch.setenv("CACHE_URL", "memcached://user:s3cret@cache:11211")
    with pytest.raises(ImproperlyConfigured) as refused:
        cache_from_env(ROOT / "var/cache")
    assert "s3cret" not in str(refused.value)


def test_facets_have_a_cache_of_their_own_so_they_never_evict_the_throttles_counts(tmp_path):
    """A full file cache culls its oldest entries: varied facets must not cull a client's rate-limit count."""
    from django.core.cache.backends.filebased import FileBasedCache

    from config.ops.cache import FACET_ENTRIES, facets_cache, file_cache

    default = file_cache(tmp_path)
    facets = facets_cache(default)
    assert facets["LOCATION"] != default["LOCATION"] and facets["OPTIONS"]["MAX_ENTRIES"] == FACET_ENTRIES
    throttles = FileBasedCache(default["LOCATION"], {"OPTIONS": {"MAX_ENTRIES": 3}})
    facet_cache = FileBasedCache(facets["LOCATION"], {"OPTIONS": {"MAX_ENTRIES": 3}})
    throttles.set("throttle_user_1", [1, 2, 3])
    for n in range(10):
        facet_cache.set(f"facets:{n}", [n])
    assert throttles.get("throttle_user_1") == [1, 2, 3]
    assert facets_cache({"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x"}) == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://x",
        "KEY_PREFIX": "facets",
    }
