"""The benchmark's data: a generated corpus in its own PostgreSQL database, kept between runs.

Generating 100,000 articles takes minutes, so the database is reused. It is stamped (a comment on the
database) with the size, the seed and a digest of the migrations; a run whose stamp differs, or
--regenerate, drops and generates it again. The token for writes and the sample ids the filters ask
for are read here too, so every system is asked about the same rows.
"""

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
BENCH_USER = "bench"


def manage(database_url: str, *args: str, capture: bool = False) -> str:
    """Run a manage.py command on `database_url` (never .env.local); its standard output if captured."""
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_ENV_FILE": ""}
    env.setdefault("DJANGO_SECRET_KEY", "bench-only-insecure-key")
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                          stdout=subprocess.PIPE if capture else None, text=True)  # fmt: skip
    return done.stdout or ""


def stamp(articles: int, seed: int) -> str:
    """What the data depends on: a change to any of it means generating again."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "corpus_app" / "migrations").glob("*.py")):
        digest.update(path.read_bytes())
    for path in sorted((ROOT / "corpus_app" / "archive").glob("*.py")):
        digest.update(path.read_bytes())
    return f"bench corpus: articles={articles} seed={seed} code={digest.hexdigest()[:16]}"


def server_url(database_url: str) -> str:
    return urlunsplit(urlsplit(database_url)._replace(path="/postgres"))


def database_ensure(database_url: str, *, articles: int, seed: int, regenerate: bool = False) -> bool:
    """Make sure `database_url` holds the generated corpus of this size and seed; True if it was (re)made."""
    name = urlsplit(database_url).path.lstrip("/")
    wanted = stamp(articles, seed)
    server = psycopg2.connect(server_url(database_url))
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name])
        row = cursor.fetchone()
        if row and row[0] == wanted and not regenerate:
            server.close()
            return False
        print(f"== generating {articles:,} articles (seed {seed}) into {name}; kept for later runs", flush=True)
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    manage(database_url, "migrate", "--no-input", "-v0")
    manage(database_url, "generate_corpus", "--articles", str(articles), "--seed", str(seed))
    # Fresh statistics and visibility map, so the planner sees the real sizes from the first request.
    connection = psycopg2.connect(database_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()
    with server.cursor() as cursor:
        cursor.execute(f'COMMENT ON DATABASE "{name}" IS %s', [wanted])
    server.close()
    return True


def token_ensure(database_url: str) -> str:
    """A superuser's API token for the write endpoints (created once, like a client would)."""
    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT key FROM authtoken_token t JOIN auth_user u ON u.id = t.user_id WHERE username = %s",
                       [BENCH_USER])  # fmt: skip
        if row := cursor.fetchone():
            return row[0]
    manage(database_url, "shell", "-c",
           "from django.contrib.auth.models import User; "
           f"User.objects.get_or_create(username='{BENCH_USER}', defaults={{'is_superuser': True, 'is_staff': True}})",
           capture=True)  # fmt: skip
    out = manage(database_url, "drf_create_token", BENCH_USER, capture=True)
    return re.search(r"\b([0-9a-f]{40})\b", out).group(1)


def middle_row(table: str, columns: str) -> str:
    """The row in the middle of `table` by id: a typical record, neither the first nor the last made."""
    return f"SELECT {columns} FROM {table} ORDER BY id OFFSET (SELECT count(*) / 2 FROM {table}) LIMIT 1"


SAMPLE_QUERIES = {
    # A speaker, article and visit with quotes: the ones of the quote in the middle of the table.
    "quote": middle_row("corpus_app_quote", "id, speaker_id, article_id, visit_id"),
    "article": middle_row("corpus_app_article", "id, outlet_id"),
    "article_visit": middle_row("corpus_app_article_visits", "visit_id"),
    "participant": middle_row("corpus_app_visitparticipant", "person_id"),
    "published": "SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY published_date) FROM corpus_app_article",
    "visit_start": "SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY start_date) FROM corpus_app_visit",
    "expert_kind": "SELECT kind FROM corpus_app_expert GROUP BY kind ORDER BY count(*) LIMIT 1",
    "experts": "SELECT id FROM corpus_app_expert ORDER BY id LIMIT 50",
    "counts": "SELECT (SELECT count(*) FROM corpus_app_article), (SELECT count(*) FROM corpus_app_quote)",
    # What /api/search/ is asked: the name of the middle quote's speaker, and the city of the middle
    # visit (a word only a few visits' titles hold).
    "speaker_name": "SELECT e.name FROM corpus_app_quote q JOIN corpus_app_expert e ON e.id = q.speaker_id "
    "ORDER BY q.id OFFSET (SELECT count(*) / 2 FROM corpus_app_quote) LIMIT 1",
    "city_name": "SELECT c.name FROM corpus_app_visit_cities vc JOIN corpus_app_city c ON c.id = vc.city_id "
    "ORDER BY vc.id OFFSET (SELECT count(*) / 2 FROM corpus_app_visit_cities) LIMIT 1",
}


def samples(database_url: str) -> dict:
    """The ids and values each filter is asked about, the same for every system."""
    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        found = {}
        for name, sql in SAMPLE_QUERIES.items():
            cursor.execute(sql)
            found[name] = cursor.fetchall() if name == "experts" else cursor.fetchone()
        quote_id, speaker, article_of_quote, visit = found["quote"]
        published = found["published"][0]
        start = found["visit_start"][0]
        return {
            "quote": quote_id, "speaker": speaker, "quote_article": article_of_quote, "quote_visit": visit,
            "article": found["article"][0], "outlet": found["article"][1], "article_visit": found["article_visit"][0],
            "participant": found["participant"][0],
            # A month of articles around the median date; visits overlapping the three months around it.
            "published_after": published.replace(day=1).isoformat(),
            "published_before": published.replace(day=28).isoformat(),
            "visit_after": start.replace(day=1).isoformat(),
            "visit_before": start.replace(day=28).isoformat(),
            "expert_kind": found["expert_kind"][0],
            "experts": [row[0] for row in found["experts"]],
            "articles": found["counts"][0], "quotes": found["counts"][1],
            "speaker_name": found["speaker_name"][0], "city_name": found["city_name"][0],
        }  # fmt: skip


def quote_candidates(database_url: str, count: int) -> list[tuple[int, str]]:
    """(article id, sentence) pairs a new quote may take: a sentence of the body, found once, not yet quoted."""
    pairs = []
    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT id, body FROM corpus_app_article ORDER BY id LIMIT %s", [count * 2])
        articles = cursor.fetchall()
        cursor.execute("SELECT article_id, text FROM corpus_app_quote WHERE article_id = ANY(%s)",
                       [[pk for pk, _ in articles]])  # fmt: skip
        quoted = set(cursor.fetchall())
    for pk, body in articles:
        for sentence in re.findall(r"[A-Z][^.!?\n]{20,200}[.!?]", body):
            if body.count(sentence) == 1 and (pk, sentence) not in quoted:
                pairs.append((pk, sentence))
                break
        if len(pairs) == count:
            break
    return pairs
