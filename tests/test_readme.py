"""The README's examples work on a fresh `make run`.

Every command of its ```sh blocks and every inline `….venv/bin/python manage.py …`, placeholders
filled in, runs against the database a fresh `make run` leaves: the curated corpus numbered as on a
new database, and the superuser `admin`. curl requests go through Django's test client; manage.py
commands through call_command. Each block runs in order in one test, so a block may use what an
earlier command of it made (a user, a token).
"""

import getpass
import importlib
import io
import json
import re
import shlex
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test import Client
from rest_framework.authtoken.models import Token

from corpus_app.models import Article, Expert

README = Path(__file__).resolve().parent.parent / "README.md"
SERVER = "http://127.0.0.1:8000"  # where `make run` serves unless told otherwise
USERNAME = "admin"  # the superuser `make run` creates
MANAGE = [".venv/bin/python", "manage.py"]  # what works in a new shell after `make run`

# The ids the README's examples use, and what its text says they are, on a fresh load.
README_IDS = {
    (Expert, 11): "elkhan-shahinoglu",
    (Expert, 5): "dmitriy-verkhoturov",
    (Article, 2): "caliber-az-2023-03-01-moscow-convenient-baku",
}


def readme_examples() -> list[tuple[int, list[tuple[str, list[str]]]]]:
    """[(line, [(source, argv), …]), …]: each shell block's commands, and each inline manage.py command.

    `make` commands are left out: the module's database is what `make run` leaves, and `make test`
    is this suite.
    """
    examples, block, start, pending = [], None, 0, ""
    for number, line in enumerate(README.read_text().splitlines(), start=1):
        if block is None:
            if line.strip() in ("```sh", "```bash", "```shell"):
                block, start = [], number
                continue
            for source in re.findall(r"`([^`]*manage\.py [^`]*)`", line):
                examples.append((number, [(source, shlex.split(source))]))
            continue
        if line.strip() == "```":
            assert not pending, f"README.md:{start}: unfinished command {pending!r}"
            commands = [(source, argv) for source, argv in block if argv[0] != "make"]
            if commands:
                examples.append((start, commands))
            block = None
            continue
        # As sh does: a backslash at the end of a line continues the command; a quote runs over lines.
        pending += line[:-1] if line.endswith("\\") else line + "\n"
        if line.endswith("\\"):
            continue
        try:
            argv = shlex.split(pending, comments=True)
        except ValueError:  # a quote still open
            continue
        if argv:
            block.append((pending, argv))
        pending = ""
    return examples


EXAMPLES = readme_examples()


def _ids_numbered_from_one():
    """Number new rows of the corpus tables from 1, as on a new database.

    Other tests' rows advanced the counters even though they were rolled back (PostgreSQL's
    sequences) or flushed (SQLite's sqlite_sequence after a live-server test). The tables are empty
    here, so the next id is max + 1 = 1.
    """
    models = list(django_apps.get_app_config("corpus_app").get_models())
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for model in models:
                table = model._meta.db_table
                cursor.execute(
                    f'UPDATE sqlite_sequence SET seq = (SELECT COALESCE(MAX(id), 0) FROM "{table}") WHERE name = %s',
                    [table],
                )
        else:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)


@pytest.fixture(scope="module")
def fresh_make_run(django_db_setup, django_db_blocker):
    """The database of a fresh `make run`, built once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        assert not Article.objects.exists()
        _ids_numbered_from_one()
        # A live-server test before this module flushed the roles its migration created.
        roles = importlib.import_module("corpus_app.migrations.0005_curator_and_reader_groups")
        roles.roles_create(django_apps, None)
        for command in ("load_corpus_once", "check_corpus", "ensure_local_superuser"):
            call_command(command, stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def fill(text: str) -> str:
    """The README's placeholders, as the reader fills them in after `make run`."""

    def value(match):
        if match[1] == "username":
            return USERNAME
        if match[1] == "token":
            return Token.objects.get_or_create(user=get_user_model().objects.get(username=USERNAME))[0].key
        raise AssertionError(f"placeholder {match[0]} unknown to this test")

    return re.sub(r"<(\w+)>", value, text)


def run_manage_py(argv: list[str]) -> str:
    assert argv[:2] == MANAGE, f"{shlex.join(argv)}: in a new shell after `make run`, run {shlex.join(MANAGE)}"
    out = io.StringIO()
    call_command(*argv[2:], stdout=out, stderr=out)
    return out.getvalue()


def run_curl(source: str, argv: list[str]):
    method, headers, data, url = None, {"Accept": "*/*"}, None, None
    args = iter(argv[1:])
    for arg in args:
        if arg == "-X":
            method = next(args)
        elif arg == "-H":
            name, _, header_value = next(args).partition(":")
            headers[name.strip()] = header_value.strip()
        elif arg == "-d":
            data = next(args)
        elif arg in ("-i", "-OJ"):  # only show the headers, save the body under the name the server gives
            continue
        else:
            assert not arg.startswith("-"), f"curl option {arg} unknown to this test"
            url = arg
    assert url and url.startswith(SERVER + "/"), f"{url}: `make run` serves on {SERVER}"
    content_type = headers.pop("Content-Type", "application/octet-stream")
    response = Client().generic(
        method or ("POST" if data else "GET"), url[len(SERVER) :], data or "", content_type, headers=headers
    )
    content = b"".join(response.streaming_content) if response.streaming else response.content  # an export streams
    assert 200 <= response.status_code < 300, f"{source}\n-> {response.status_code} {content[:500]!r}"
    if claimed := re.search(r'# ETag: "(\d+)\.…"', source):  # the version leads a read's tag
        assert response["ETag"].startswith(f'"{claimed[1]}.'), f"{source}\n-> ETag {response['ETag']}"
    if response.request["REQUEST_METHOD"] == "GET":  # a reading example finds something
        if response["Content-Type"].startswith("application/json") and "results" in response.json():
            assert response.json()["results"], f"{source}\n-> nothing found"
        if response["Content-Type"] == "application/ld+json":  # a list's members, or a record
            assert json.loads(response.content).get("member", True), f"{source}\n-> nothing found"
        if response["Content-Type"].startswith("text/csv"):
            assert len(content.decode("utf-8-sig").splitlines()) > 1, f"{source}\n-> nothing found"
        if response["Content-Type"].startswith("application/x-ndjson"):
            assert content.splitlines(), f"{source}\n-> nothing found"


@pytest.mark.parametrize("commands", [pytest.param(commands, id=f"README.md:{line}") for line, commands in EXAMPLES])
def test_readme_example_works_on_a_fresh_make_run(fresh_make_run, db, monkeypatch, tmp_path, commands):
    # In a folder that reads as the checkout (fixtures/seeds/… are there) but keeps the files an example
    # writes (export_sqlite corpus.db) to itself, so they neither litter the checkout nor meet the next run.
    for entry in README.parent.iterdir():
        (tmp_path / entry.name).symlink_to(entry)
    monkeypatch.chdir(tmp_path)
    # changepassword asks twice on the terminal; the reader types a password the validators accept.
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": "a-readme-reader-chose-this-1")
    for source, argv in commands:
        argv = [fill(arg) for arg in argv]
        if argv[0] == "curl":
            run_curl(source, argv)
        else:
            assert argv[0] == MANAGE[0], f"{source}: a command this test does not know how to check"
            run_manage_py(argv)


def test_the_ids_in_the_readme_are_the_records_it_names(fresh_make_run, db):
    for (model, pk), slug in README_IDS.items():
        assert model.objects.get(pk=pk).slug == slug
    # "One expert's quotes (ids from /api/experts/?search=...)": the search finds the id used next.
    found = Client().get("/api/experts/", {"search": "Shainoglu"}).json()["results"]
    assert [expert["id"] for expert in found] == [11]
    # Recipes, "A facet drill-down": the most quoted visit, then its most quoted speaker.
    visits = Client().get("/api/quotes/", {"facet": "visit"}).json()["facets"]["visit"]["values"]
    speakers = Client().get("/api/quotes/", {"facet": "speaker", "visit": 3}).json()["facets"]["speaker"]["values"]
    assert (visits[0]["value"], visits[0]["count"], speakers[0]["value"], speakers[0]["count"]) == (3, 11, 8, 4)


def test_the_readme_shows_the_examples_this_module_runs():
    programs = [argv[0] for _, commands in EXAMPLES for _, argv in commands]
    assert programs.count("curl") >= 8 and programs.count(MANAGE[0]) >= 5
    assert any("If-Match" in source for _, commands in EXAMPLES for source, _ in commands)
