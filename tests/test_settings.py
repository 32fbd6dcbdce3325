"""Settings come from the environment; production without a secret key refuses to start."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.DEBUG, settings.ALLOWED_HOSTS, settings.DATABASES['default']['ENGINE'], "
    "settings.DATABASES['default']['NAME'])"
)


def start_django(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_debug_off_without_secret_key_refuses_to_start_with_a_clear_message():
    result = start_django(DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set and DJANGO_DEBUG is off" in result.stderr


def test_debug_is_off_unless_asked_for():
    result = start_django(DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("False")


def test_local_development_defaults_to_sqlite_in_the_project():
    result = start_django(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert "sqlite3" in result.stdout
    assert str(ROOT / "db.sqlite3") in result.stdout


def test_database_url_and_allowed_hosts_are_read_from_the_environment():
    result = start_django(
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="corpus.example.org, api.example.org",
        DATABASE_URL="postgres://reader@db.example.org:5432/corpus",
    )
    assert result.returncode == 0, result.stderr
    assert "['corpus.example.org', 'api.example.org']" in result.stdout
    assert "postgresql" in result.stdout and result.stdout.strip().endswith("corpus")
