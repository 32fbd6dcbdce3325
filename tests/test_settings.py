"""Settings come from the environment, which manage.py completes on a developer's machine from the
local env file that `make run` writes; every other entry point (servers, scripts, the test suite)
sees the environment only, so production without a secret key refuses to start, whatever file lies
in the checkout."""

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from dotenv import dotenv_values

ROOT = Path(__file__).resolve().parent.parent
PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.DEBUG, settings.ALLOWED_HOSTS, settings.DATABASES['default']['ENGINE'], "
    "settings.DATABASES['default']['NAME'], settings.SECRET_KEY)"
)
REFUSAL = "DJANGO_SECRET_KEY is not set and DJANGO_DEBUG is off"


def run(args: list[str], cwd: Path = ROOT, **env) -> subprocess.CompletedProcess:
    """Run a command in a new process whose environment holds no setting but those given."""
    settings_variables = ("DJANGO_", "DATABASE_", "CACHE_URL", "REDIS_URL", "API_")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(settings_variables)}
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(args, cwd=cwd, env={**clean, **env}, capture_output=True, text=True, timeout=60)


def start_django(cwd: Path = ROOT, before: str = "", **env) -> subprocess.CompletedProcess:
    """Load the settings in a new process (after the code `before`), as a script or a server does."""
    return run([sys.executable, "-c", before + PRINT_SETTINGS], cwd, **env)


def test_debug_off_without_secret_key_refuses_to_start_with_a_clear_message():
    result = start_django(DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert REFUSAL in result.stderr


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
    assert "postgresql" in result.stdout and "corpus x" in result.stdout


# The local env file. Each test works in a copy of the project's code, so the `.env.local` it writes
# or lacks is its own, never the one the developer running the suite has in the checkout.


@pytest.fixture
def checkout(tmp_path) -> Path:
    """A project directory without `.env.local`: config/ and manage.py copied, the rest linked."""
    shutil.copytree(ROOT / "config", tmp_path / "config", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manage.py", tmp_path)
    for name in ("corpus_app", "fixtures"):
        (tmp_path / name).symlink_to(ROOT / name)
    return tmp_path


def manage_py_settings(checkout: Path, **env) -> subprocess.CompletedProcess:
    """The settings a manage.py command in the checkout sees, from a shell without exports by default."""
    return run([sys.executable, "manage.py", "shell", "--no-imports", "-c", PRINT_SETTINGS], checkout, **env)


def test_make_run_writes_the_env_file_once_and_later_manage_py_commands_read_it(checkout):
    write = [sys.executable, "-m", "config.env_file"]  # the step of `make run`

    first = run(write, checkout)
    assert first.returncode == 0, first.stderr
    env_file = checkout / ".env.local"
    assert "Wrote" in first.stdout and str(env_file) in first.stdout
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    written = env_file.read_text()
    assert "DJANGO_DEBUG=1\n" in written
    key = written.split("DJANGO_SECRET_KEY=")[1].strip()
    assert len(key) > 50

    again = run(write, checkout)
    assert again.returncode == 0 and again.stdout == ""
    assert env_file.read_text() == written

    settings = run([sys.executable, "manage.py", "diffsettings"], checkout)
    assert settings.returncode == 0, settings.stderr
    assert "DEBUG = True" in settings.stdout
    assert f"SECRET_KEY = '{key}'" in settings.stdout


@pytest.mark.parametrize(
    "database_url",
    [
        pytest.param(None, id="unset"),
        # Quoted in the file so that python-dotenv reads it verbatim: no ${…} expansion, quotes kept.
        pytest.param("postgres://corpus:pa$HOME'\\s@db.example.org:5432/corpus_local", id="set"),
    ],
)
def test_make_run_records_the_database_url_it_was_given_for_later_commands(checkout, database_url):
    env = {"DATABASE_URL": database_url} if database_url else {}
    written = run([sys.executable, "-m", "config.env_file"], checkout, **env)
    assert written.returncode == 0, written.stderr
    recorded = dotenv_values(checkout / ".env.local")
    assert recorded.get("DATABASE_URL") == database_url

    later = manage_py_settings(checkout)  # a new shell: DATABASE_URL no longer exported
    assert later.returncode == 0, later.stderr
    if database_url:
        assert "django.db.backends.postgresql corpus_local" in later.stdout
    else:
        assert f"django.db.backends.sqlite3 {checkout / 'db.sqlite3'}" in later.stdout


def test_make_run_says_so_when_the_existing_env_file_records_another_database(checkout):
    write = [sys.executable, "-m", "config.env_file"]
    assert run(write, checkout).returncode == 0  # the first `make run`, on SQLite
    written = (checkout / ".env.local").read_text()

    other = run(write, checkout, DATABASE_URL="postgres://postgres@127.0.0.1:5432/corpus")
    assert other.returncode == 0, other.stderr
    assert "does not record this DATABASE_URL" in other.stderr
    assert "127.0.0.1:5432" not in other.stderr  # the URL may hold a password
    assert (checkout / ".env.local").read_text() == written

    (checkout / ".env.local").write_text(written + "DATABASE_URL=postgres://postgres@127.0.0.1:5432/corpus\n")
    same = run(write, checkout, DATABASE_URL="postgres://postgres@127.0.0.1:5432/corpus")
    assert same.returncode == 0 and same.stdout == same.stderr == ""


def test_the_environment_wins_over_the_env_file(checkout):
    (checkout / ".env.local").write_text(
        "DJANGO_DEBUG=1\nDJANGO_SECRET_KEY=key-from-file\nDJANGO_ALLOWED_HOSTS=file.example.org\n"
    )
    result = manage_py_settings(checkout, DJANGO_DEBUG="0", DJANGO_SECRET_KEY="key-from-environment")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("False ['file.example.org']")  # what the environment lacks, the file gives
    assert result.stdout.strip().endswith("key-from-environment")


def start_pytest(checkout: Path, **env) -> subprocess.CompletedProcess:
    """pytest (with pytest-django) in the checkout, without this project's pytest.ini and its env."""
    (checkout / "pytest.ini").write_text("[pytest]\n")
    (checkout / "test_nothing.py").write_text("def test_nothing():\n    pass\n")
    return run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "test_nothing.py"], checkout, **env)


SERVER_ENTRY_POINTS = [
    pytest.param("import config.wsgi; ", id="config.wsgi"),
    pytest.param("import config.asgi; ", id="config.asgi"),
    # gunicorn 'django.core.wsgi:get_wsgi_application()', uWSGI module=, uvicorn --factory: no config/ module.
    pytest.param("from django.core.wsgi import get_wsgi_application; get_wsgi_application(); ", id="django.core.wsgi"),
    pytest.param("from django.core.asgi import get_asgi_application; get_asgi_application(); ", id="django.core.asgi"),
    pytest.param("", id="script-calling-django.setup"),
]


@pytest.mark.parametrize("named", [False, True], ids=["env-file-unset", "env-file-named"])
@pytest.mark.parametrize("before", SERVER_ENTRY_POINTS)
def test_every_entry_point_but_manage_py_ignores_the_env_file_and_refuses_without_a_key(checkout, before, named):
    (checkout / ".env.local").write_text("DJANGO_DEBUG=1\nDJANGO_SECRET_KEY=key-from-file\n")
    env = {"DJANGO_ENV_FILE": str(checkout / ".env.local")} if named else {}
    result = start_django(checkout, before, **env)
    assert result.returncode != 0
    assert REFUSAL in result.stderr


def test_the_test_suite_ignores_the_env_file_even_without_pytest_ini_env(checkout):
    (checkout / ".env.local").write_text("DJANGO_DEBUG=1\nDJANGO_SECRET_KEY=key-from-file\n")
    result = start_pytest(checkout)
    assert result.returncode != 0
    assert REFUSAL in result.stdout + result.stderr


def test_manage_py_reads_no_env_file_when_django_env_file_is_empty(checkout):
    (checkout / ".env.local").write_text("DJANGO_DEBUG=1\nDJANGO_SECRET_KEY=key-from-file\n")
    result = manage_py_settings(checkout, DJANGO_ENV_FILE="")
    assert result.returncode != 0
    assert REFUSAL in result.stderr


def test_manage_py_reads_a_file_django_env_file_names(checkout):
    (checkout / ".env.local").write_text("DJANGO_DEBUG=1\nDJANGO_SECRET_KEY=key-from-local-file\n")
    (checkout / "corpus.env").write_text("DJANGO_SECRET_KEY=key-from-named-file\n")
    result = manage_py_settings(checkout, DJANGO_ENV_FILE=str(checkout / "corpus.env"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("False") and result.stdout.strip().endswith("key-from-named-file")


def test_a_named_env_file_that_is_missing_refuses_to_start(checkout):
    result = manage_py_settings(checkout, DJANGO_ENV_FILE=str(checkout / "typo.env"), DJANGO_DEBUG="1")
    assert result.returncode != 0
    assert "DJANGO_ENV_FILE names" in result.stderr


def test_without_the_env_file_debug_off_and_no_key_still_refuses(checkout):
    result = manage_py_settings(checkout)
    assert result.returncode != 0
    assert REFUSAL in result.stderr


@pytest.mark.parametrize(
    "database_url, header",
    [
        pytest.param(None, f"corpus test database: sqlite3 {ROOT / 'test_db.sqlite3'}", id="sqlite"),
        pytest.param(
            "postgres://postgres@db.example.org:5432/corpus", "corpus test database: postgresql test_corpus", id="pg"
        ),
    ],
)
def test_the_suite_header_names_the_test_database_not_the_one_make_run_serves(database_url, header):
    env = {"DATABASE_URL": database_url} if database_url else {}
    # Collecting opens no connection, so the PostgreSQL host need not exist.
    result = run([sys.executable, "-m", "pytest", "--collect-only", "-p", "no:cacheprovider", __file__], **env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert header in result.stdout.splitlines()


def test_the_api_statement_timeout_is_read_from_the_environment():
    """API_STATEMENT_TIMEOUT_MS: 5000 unless set, a whole number when set, refused with its name otherwise."""
    show = "import django; django.setup(); from django.conf import settings; print(settings.API_STATEMENT_TIMEOUT_MS)"
    assert run([sys.executable, "-c", show], DJANGO_DEBUG="1").stdout.strip() == "5000"
    assert run([sys.executable, "-c", show], DJANGO_DEBUG="1", API_STATEMENT_TIMEOUT_MS="250").stdout.strip() == "250"
    refused = run([sys.executable, "-c", show], DJANGO_DEBUG="1", API_STATEMENT_TIMEOUT_MS="5s")
    assert refused.returncode != 0
    assert "API_STATEMENT_TIMEOUT_MS must be a whole number (0 or more), not '5s'." in refused.stderr
