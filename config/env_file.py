"""
The local env file: settings a developer's machine needs, kept where every command finds them.

`make run` writes it once (debug on, a random secret key), so that the `manage.py` commands typed
later in any shell start without exporting anything. If DATABASE_URL is set when the file is
written (`DATABASE_URL=postgres://... make run`), the file records it too, so those later commands
use the database `make run` used. The file is never rewritten: a later `make run` with a
DATABASE_URL the file does not record says so.

The file belongs to the developer's entry point, not to the settings: manage.py reads it, with
python-dotenv, before Django loads the settings, and a variable already in the environment wins
over the file. Nothing else reads it: a server (gunicorn or uvicorn on config.wsgi or config.asgi,
or any other WSGI or ASGI entry point), a script calling django.setup() and the test suite see the
environment only, so production's rule (no secret key with debug off refuses to start) never
depends on a file a developer left in the checkout.

DJANGO_ENV_FILE says which file manage.py reads: unset means `.env.local` in the project root, a
path names another file (which must then exist), and an empty value means none. pytest.ini sets it
empty for the manage.py processes the tests start.

`python -m config.env_file` is the step of `make run` that writes the file.
"""

import os
import secrets
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from dotenv import dotenv_values, load_dotenv

LOCAL = Path(__file__).resolve().parent.parent / ".env.local"


def env_file_path() -> Path | None:
    """The file DJANGO_ENV_FILE names, `.env.local` when it is unset, None when it is empty."""
    name = os.environ.get("DJANGO_ENV_FILE")
    if name is None:
        return LOCAL
    return Path(name) if name.strip() else None


def env_file_load() -> Path | None:
    """Add the file's variables to os.environ, never replacing one already set; return the file read.

    manage.py calls it before Django loads the settings. A missing `.env.local` is normal (a
    checkout before its first `make run`); a file that DJANGO_ENV_FILE names explicitly must exist,
    so a typo fails loudly.
    """
    path = env_file_path()
    if path is None:
        return None
    if not path.is_file():
        if "DJANGO_ENV_FILE" in os.environ:
            raise ImproperlyConfigured(f"DJANGO_ENV_FILE names {path}, which is not a file.")
        return None
    load_dotenv(path, override=False)
    return path


def _quoted(value: str) -> str:
    """The value single-quoted for python-dotenv, which then reads it verbatim (no ${…} expansion)."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def env_file_write_local() -> Path | None:
    """Write the env file for local development if there is none yet; return the file written.

    Records DATABASE_URL when it is set, so that later commands in a new shell use the same
    database. Never overwrites: the secret key signs sessions, so replacing it would log everyone
    out, and the developer may have edited the file. Readable by its owner only, since it holds that
    key (and perhaps a database password).
    """
    path = env_file_path()
    if path is None:
        return None
    content = (
        "# Written once by `make run` for local development on this machine; git-ignored.\n"
        "# Every manage.py command reads it; a variable set in the environment wins over it.\n"
        "DJANGO_DEBUG=1\n"
        f"DJANGO_SECRET_KEY={secrets.token_urlsafe(50)}\n"
    )
    if database_url := os.environ.get("DATABASE_URL"):
        content += f"DATABASE_URL={_quoted(database_url)}\n"
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return None
    with os.fdopen(descriptor, "w") as file:
        file.write(content)
    return path


def env_file_other_database() -> Path | None:
    """The existing env file, if DATABASE_URL is set and the file records another one (or none)."""
    path = env_file_path()
    database_url = os.environ.get("DATABASE_URL")
    if path is None or not database_url or not path.is_file():
        return None
    return path if dotenv_values(path).get("DATABASE_URL") != database_url else None


if __name__ == "__main__":
    written = env_file_write_local()
    if written is not None:
        database = ", DATABASE_URL" if os.environ.get("DATABASE_URL") else ""
        print(f"Wrote {written}: debug on, a random secret key{database}; read by every manage.py command.")
    elif (kept := env_file_other_database()) is not None:
        print(
            f"Note: {kept} does not record this DATABASE_URL, so a manage.py command run without it in the "
            "environment uses another database. Edit the file to change that.",
            file=sys.stderr,
        )
