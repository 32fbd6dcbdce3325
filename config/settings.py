"""
Settings for corpus, read from the environment so one code base serves a laptop, CI and production.

Settings read no file. On a developer's machine, manage.py completes the environment from the local
env file that `make run` writes before it loads them (config/env_file.py); servers, scripts and
tests see the environment only.

Environment variables:
    DATABASE_URL          database to use (default: SQLite file ``db.sqlite3`` in the project root)
    DJANGO_SECRET_KEY     required whenever debug is off
    DJANGO_DEBUG          "1"/"true"/"yes"/"on" turns debug on (default: off)
    DJANGO_ALLOWED_HOSTS  comma-separated host names (default: localhost names only)
    API_STATEMENT_TIMEOUT_MS  longest a query of an API request may run on PostgreSQL, in
                          milliseconds; 0 for no limit (default: 5000)
    API_FACETS_TIME_BUDGET_MS  the time one request's facets may take together on PostgreSQL, in ms (default: 2000)
    API_FACETS_CACHE_SECONDS  how long counted facets stay cached, under the change stamp (default: 86400; 0: none)
    API_THROTTLE_ANON     request rate for anonymous API clients (default: 1000/hour; "off": none)
    API_THROTTLE_USER     request rate for authenticated API clients (default: 10000/hour; "off": none)
    API_THROTTLE_INGEST   rate of POST /api/ingest/ (and accept/reject) per user (default: 600/hour; "off": none)
    API_THROTTLE_EXPORT_ANON  rate of exports (/api/quotes/export/) per anonymous client (default: 60/hour; "off": none)
    API_EXPORT_ANONYMOUS_ROWS  the most rows an export gives an anonymous client (default: 10000)
    SYNC_OVERLAP_SECONDS  how far before the present (and the oldest open write, on PostgreSQL) a mirror's next
                          `since` goes back: longer than clock skew between servers, replica lag and, on
                          SQLite, the longest write transaction (default: 60)
    LOGIN_FAILURE_LIMIT   failed logins of one username from one address before it is locked out (default: 5)
    LOGIN_LOCKOUT_MINUTES how long such a lockout lasts (default: 60)
    ...and those of the section "Serving on a network" below (HTTPS, static files, cache, logs).
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE_WORDS = {"1", "true", "yes", "on"}


def env_flag(name: str, default: bool = False) -> bool:
    """Read a boolean environment variable the way people write them in shells and .env files."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in _TRUE_WORDS


def env_int(name: str, default: int) -> int:
    """A whole number >= 0 from the environment; anything else stops the start with a message naming it."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isascii() or not value.isdigit():
        raise ImproperlyConfigured(f"{name} must be a whole number (0 or more), not {value!r}.")
    return int(value)


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_flag("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # Refusing beats running production with a guessable key that signs sessions and tokens.
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set and DJANGO_DEBUG is off. Set DJANGO_SECRET_KEY to a long "
            "random string (python -c 'import secrets; print(secrets.token_urlsafe(50))'), or, for local "
            "development, run `make run` once: it writes .env.local, which manage.py commands read."
        )
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    # First, so its templates (the admin index with the timeline link) override the admin's own.
    "corpus_app.apps.CorpusAppConfig",
    "corpus_app.history.apps.CorpusHistoryConfig",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_countries",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "import_export",
    "axes",
    "csp",
]

MIDDLEWARE = [
    # First, so that every error under /api/, from Django or any middleware, answers in JSON.
    "corpus_app.api.json_errors.ApiErrorsAsJsonMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy header on every response (CONTENT_SECURITY_POLICY below).
    "corpus_app.csp.CorpusCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before anything reads a body (CSRF reads forms); a 413 still gets the headers of those above.
    "corpus_app.request_size.RequestBodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Records who made each change, admin and API alike (DRF sets the token user on the request).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: answers a locked-out login with the lockout page.
    "axes.middleware.AxesMiddleware",
]

# The largest request body each part of the site takes, in bytes; the first pattern matching the path
# decides, and REQUEST_BODY_DEFAULT_LIMIT (Django's own 2.5 MiB) elsewhere. A larger body is refused with
# 413 before it is read (corpus_app/request_size.py). Django's DATA_UPLOAD_MAX_MEMORY_SIZE is the largest
# of them, so that it never refuses (with a 400 saying nothing of the limit) a body its path takes.
MiB = 1024 * 1024
REQUEST_BODY_DEFAULT_LIMIT = int(2.5 * MiB)
REQUEST_BODY_LIMITS = [
    # API writes are JSON. The largest record, an article of 200,000 characters (its body's limit),
    # is 1.2 million bytes when a client escapes each non-ASCII letter as \uXXXX, as json.dumps does.
    # A saved web page carries its scripts and styles: several times its text.
    (r"^/api/ingest/$", 8 * MiB),
    (r"^/admin/corpus_app/article/ingest/$", 8 * MiB),
    (r"^/api/", 2 * MiB),
    # Admin import files (CSV or JSON): a whole table of articles with their bodies.
    (r"^/admin/corpus_app/[a-z]+/import/$", 20 * MiB),
]
# Uploaded files are streamed to disk and not counted here; a page pasted in the admin is a form field.
DATA_UPLOAD_MAX_MEMORY_SIZE = 8 * MiB

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
# One transaction per request: a write that fails half-way (an article saved, its visits not)
# leaves nothing behind.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# On PostgreSQL, no query of an API request runs longer than this (0: no limit); a cancelled one is
# answered 503. Set per request, so commands and imports are not bound by it
# (corpus_app/api/transaction_bounds.py).
API_STATEMENT_TIMEOUT_MS = env_int("API_STATEMENT_TIMEOUT_MS", 5000)
# On PostgreSQL, the time one request's facets may take together (0: no budget of their own); a facet
# not counted within it says so, and the page stands (corpus_app/api/facet_budget.py).
API_FACETS_TIME_BUDGET_MS = env_int("API_FACETS_TIME_BUDGET_MS", 2000)
# How long counted facets stay in the cache, under the corpus's change stamp (any write moves it, so an
# entry is never read after a change; corpus_app/api/facet_cache.py); 0: not kept.
API_FACETS_CACHE_SECONDS = env_int("API_FACETS_CACHE_SECONDS", 86400)
# The most rows an export (corpus_app/api/exports.py) gives an anonymous client; authenticated ones get all.
API_EXPORT_ANONYMOUS_ROWS = env_int("API_EXPORT_ANONYMOUS_ROWS", 10_000)
# corpus_app/sync.py: the overlap of a mirror's rounds (?updated_since=, /api/deletions/).
SYNC_OVERLAP_SECONDS = env_int("SYNC_OVERLAP_SECONDS", 60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Tests run on a file rather than in memory: the live server behind the browser tests then gives
    # each request thread its own connection instead of sharing the test's one, which interleaves
    # the transactions of overlapping requests ("no such savepoint").
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test_db.sqlite3")}
    # Two curators saving at once: SQLite has one writer, and a transaction begun as a reader that then
    # writes fails "database is locked" at once, whatever the timeout (a 500). Begun IMMEDIATE, each
    # request's transaction takes the write lock first and waits up to `timeout` seconds for its turn.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})

# Password guessing (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one username from one
# address, that username is refused from that address for LOGIN_LOCKOUT_MINUTES, the right password
# included; other users, and the same user elsewhere, log in as usual. API tokens never go through a
# password check, so they are unaffected. `manage.py axes_reset_username NAME` lifts a lockout.
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out login before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "60")))
# Per username and address together: a guesser cannot lock a curator out from everywhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# A successful login clears that user's failures from that address: occasional typos never add up.
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "corpus_app.admin.lockout.lockout_response"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# `loaddata corpus` finds the curated corpus here without a path.
FIXTURE_DIRS = [BASE_DIR / "fixtures"]


def throttle_rate(variable: str, default: str) -> str | None:
    """A DRF rate, or None (DRF then counts nothing) for "off": a benchmark measures the API, not the
    throttle, whose count of every request in its window grows with a rate raised to get it out of the way."""
    value = os.environ.get(variable, default).strip()
    return None if value.lower() == "off" else value


REST_FRAMEWORK = {
    # Token first: an unauthenticated write then gets 401 with WWW-Authenticate, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "corpus_app.api.pagination.KeysetPagination",
    # django-filter and DRF's search, with bounds on what one query string may ask (corpus_app/api/query_bounds.py).
    # No OrderingFilter: ?ordering= is the keyset's, so the paginator owns it (corpus_app/api/orderings.py).
    "DEFAULT_FILTER_BACKENDS": [
        "corpus_app.api.query_bounds.BoundedFilterBackend",
        "corpus_app.api.query_bounds.BoundedSearchFilter",
    ],
    # JSON nested no deeper than a record needs, and text without lone surrogates (corpus_app/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "corpus_app.api.parsers.CorpusJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "corpus_app.api.renderers.FastJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
        "corpus_app.api.renderers.CSVRenderer",
    ],
    # Accept's q-values decide between JSON, JSON-LD and CSV (corpus_app/api/negotiation.py).
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "corpus_app.api.negotiation.PreferenceContentNegotiation",
    "DEFAULT_THROTTLE_CLASSES": [
        "corpus_app.api.throttles.CorpusAnonRateThrottle",
        "corpus_app.api.throttles.AuthenticatedUserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": throttle_rate("API_THROTTLE_ANON", "1000/hour"),
        "user": throttle_rate("API_THROTTLE_USER", "10000/hour"),
        # Drafting from a page reads and parses it: a second of work a request, not milliseconds.
        "ingest": throttle_rate("API_THROTTLE_INGEST", "600/hour"),
        # An anonymous export reads up to API_EXPORT_ANONYMOUS_ROWS rows: twenty pages of the largest size.
        "export_anon": throttle_rate("API_THROTTLE_EXPORT_ANON", "60/hour"),
    },
    "EXCEPTION_HANDLER": "corpus_app.api.exceptions.corpus_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "corpus API",
    "DESCRIPTION": (
        "Press coverage of diplomatic visits: articles, visits, the people quoted and their quotes. "
        "Anyone may read. Writing needs a token (`Authorization: Token <key>`) of a user holding the "
        "model permission."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "corpus_app.api.openapi.add_error_responses_and_security",
        "corpus_app.api.exports.document_exports",
        "corpus_app.api.shape_schema.document_shaped_answers",
        "corpus_app.api.linked_data_schema.document_linked_data",  # after the others: it replaces their JSON-LD schemas
    ],
    "ENUM_NAME_OVERRIDES": {
        "ExpertKindEnum": "corpus_app.models.ExpertKind",
        "VisitKindEnum": "corpus_app.models.VisitKind",
        "QuoteKindEnum": "corpus_app.models.QuoteKind",
        "DatePrecisionEnum": "corpus_app.models.DatePrecision",
        "CountryEnum": "django_countries.countries",
        "TimelineSectionEnum": "corpus_app.services.counts_over_time.SECTIONS",
    },
}

# ---------------------------------------------------------------------------------------------------
# Serving on a network: HTTPS, static files, throttle counts shared by workers, health, logs, error pages.
# Environment variables (README, "Running in production"):
#     DJANGO_SECURE_SSL_REDIRECT       redirect HTTP to HTTPS (default: on when debug is off); 0 behind a
#                                      TLS-terminating proxy that redirects itself, or on plain local HTTP
#     DJANGO_SECURE_HSTS_SECONDS       HSTS max-age (default: one year when debug is off; 0 for none)
#     DJANGO_SECURE_HSTS_PRELOAD       add `preload` to HSTS (default: off)
#     DJANGO_SECURE_PROXY_SSL_HEADER   "X-Forwarded-Proto: https": the header a trusted proxy sets on HTTPS
#     DJANGO_CSRF_TRUSTED_ORIGINS      comma-separated origins (https://corpus.example.org)
#     DJANGO_STATIC_ROOT               where collectstatic puts static files (default: staticfiles/)
#     API_TRUSTED_PROXIES              proxies in front whose X-Forwarded-For is trusted (default: 0)
#     CACHE_URL / REDIS_URL            the cache for throttle counts (default: files in var/cache/)
#     DJANGO_REQUEST_LOG_LEVEL         level of the per-request log line (default: INFO; WARNING with debug)
#     DATABASE_REPLICA_URLS            comma-separated URLs of read replicas of DATABASE_URL (default: none)
#     DATABASE_REPLICA_STICKY_SECONDS  how long a client reads the primary after its own write (default: 5)
# ---------------------------------------------------------------------------------------------------
from config.ops.cache import cache_from_env, facets_cache  # noqa: E402

# HTTPS. SecurityMiddleware sends HSTS on HTTPS responses only, so plain-HTTP tests never see it.
SECURE_SSL_REDIRECT = env_flag("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "0" if DEBUG else str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preloading commits the domain to HTTPS in browsers for months, beyond this site's say: its owner
# opts in. Without it Django's deploy check warns (W021) about a choice made knowingly, so silence that.
SECURE_HSTS_PRELOAD = env_flag("DJANGO_SECURE_HSTS_PRELOAD")
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
if _proxy_header := os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER", "").strip():
    # Only when configured: trusted from anyone else, the header would let a client claim HTTPS.
    _name, _, _value = _proxy_header.partition(":")
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _name.strip().upper().replace("-", "_"), _value.strip() or "https")
    if not SECURE_SSL_REDIRECT:
        # Behind a TLS-terminating proxy, switching the redirect off says the proxy redirects:
        # the deploy check's warning about it (W008) would be about a choice made knowingly.
        SILENCED_SYSTEM_CHECKS.append("security.W008")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# Static files: collected into STATIC_ROOT (`make serve` does it) and served by WhiteNoise from the
# app's own process, with hashed names cached for ever and gzip copies.
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or STATIC_ROOT)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "whitenoise.middleware.WhiteNoiseMiddleware"
)
# Source maps are read by browsers' developer tools only: not worth compressing (a third of the work).
from whitenoise.compress import Compressor  # noqa: E402

WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")

# Throttling (config/ops/cache.py says why the cache is not the database). DRF trusts no
# X-Forwarded-For unless told how many proxies stand in front: otherwise every forged address would
# be a fresh budget.
CACHES = {"default": cache_from_env(BASE_DIR / "var" / "cache")}
CACHES["facets"] = facets_cache(CACHES["default"])
REST_FRAMEWORK["NUM_PROXIES"] = int(os.environ.get("API_TRUSTED_PROXIES", "0"))

# A persistent connection that the database dropped (a restart, a failover) is noticed and replaced
# before a request uses it, instead of failing that request with a 500.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = DATABASES["default"]["CONN_MAX_AGE"] > 0

# Read replicas (config/ops/replicas.py, config/ops/read_your_writes.py, README "Read replicas"): with
# DATABASE_REPLICA_URLS, API reads go to "replica_1", "replica_2", ..., connected like "default";
# writes, the admin, commands and a writer's reads for DATABASE_REPLICA_STICKY_SECONDS after its write
# go to "default". Without it, nothing of this is installed.
from config.ops.replicas import replica_databases  # noqa: E402

DATABASE_REPLICA_STICKY_SECONDS = env_int("DATABASE_REPLICA_STICKY_SECONDS", 5)
if _replica_urls := env_list("DATABASE_REPLICA_URLS", []):
    DATABASES.update(
        replica_databases(_replica_urls, primary=DATABASES["default"], statement_timeout_ms=API_STATEMENT_TIMEOUT_MS)
    )
    DATABASE_ROUTERS = ["config.ops.replicas.PrimaryReplicaRouter"]
    # After authentication: a session's user is known there (the API's token users are found by the middleware).
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "config.ops.read_your_writes.ReadYourWritesMiddleware",
    )

# `dumpdata` (a backup of the corpus, README) keeps timestamps to the microsecond: config/ops/exact_json.py.
SERIALIZATION_MODULES = {"json": "config.ops.exact_json"}

# Error pages and reports hide database and service URLs too (runserver puts the environment in META).
DEFAULT_EXCEPTION_REPORTER_FILTER = "config.ops.error_reports.CredentialsHidingFilter"

# One JSON line per request on standard output (config/ops/request_log.py), first in MIDDLEWARE so it
# times everything and logs the status actually sent. Other warnings and errors, 500s' tracebacks
# included, go out as JSON lines too. With debug on, runserver prints its own line for each request.
MIDDLEWARE.insert(0, "config.ops.request_log.RequestLogMiddleware")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "config.ops.request_log.JsonFormatter"}},
    "handlers": {"stdout": {"()": "config.ops.request_log.StdoutHandler", "formatter": "json"}},
    "loggers": {
        "corpus.requests": {
            "handlers": ["stdout"],
            "level": os.environ.get("DJANGO_REQUEST_LOG_LEVEL", "WARNING" if DEBUG else "INFO").upper(),
            "propagate": False,
        },
        # The request line already reports 4xx; keep django.request for 5xx and their tracebacks.
        "django.request": {"level": "ERROR"},
    },
    "root": {"handlers": ["stdout"], "level": "WARNING"},
}

# Admin import and export (django-import-export): CSV and JSON, each previewed before anything is written.
from import_export.formats.base_formats import CSV, JSON  # noqa: E402

IMPORT_FORMATS = [CSV, JSON]
EXPORT_FORMATS = [CSV, JSON]
IMPORT_EXPORT_USE_TRANSACTIONS = True

# Content-Security-Policy (django-csp, corpus_app/csp.py): the admin, Swagger UI and the browsable API
# load scripts, styles, images and fonts from this site only; nothing inline runs and nothing is
# evaluated, so markup slipped into a record (a quote, a note) cannot run script. Swagger UI gets its
# start-up script as a file of its own (config/urls.py); the corpus's own styles are files in
# corpus_app/static/corpus_app/. A page that needs an inline <style> (the browsable API's syntax
# colours) gives it the response's nonce, which the header then names.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
    }
}
