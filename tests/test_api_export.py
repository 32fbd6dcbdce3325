"""Exports: a whole filtered list, streamed in chunks as NDJSON or CSV, capped for anonymous clients."""

import csv
import io

import orjson
import pytest
from django.urls import reverse
from django.utils import timezone

from corpus_app.api import exports
from tests.factories import ArticleFactory, ExpertFactory, QuoteFactory

pytestmark = pytest.mark.django_db

QUOTES = reverse("quote-export")


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_ROWS", 2)


def body(response) -> bytes:
    assert response.status_code == 200, response.content[:500]
    return b"".join(response.streaming_content)


def ndjson(response) -> list[dict]:
    assert response["Content-Type"] == "application/x-ndjson"
    return [orjson.loads(line) for line in body(response).splitlines()]


def test_a_filtered_export_holds_exactly_the_filtered_rows_across_chunks(api_client, small_chunks):
    """Filters, search and ordering apply as on the list; every chunk follows the last, none repeats."""
    speaker = ExpertFactory()
    wanted = [QuoteFactory(speaker=speaker, text=f"Progress number {n},") for n in range(5)]
    QuoteFactory(text="Progress elsewhere,")  # another speaker's
    QuoteFactory(speaker=speaker, text="Nothing relevant,")  # not found by the search
    rows = ndjson(api_client.get(QUOTES, {"speaker": speaker.pk, "search": "progress", "ordering": "-created_at"}))
    assert [row["id"] for row in rows] == [quote.pk for quote in reversed(wanted)]
    assert rows[0] == api_client.get(reverse("quote-detail", args=[wanted[-1].pk])).json()


def test_a_related_list_exports_too(api_client, small_chunks):
    """/api/experts/{id}/quotes/export/ holds that expert's quotes, filtered as the related list is."""
    speaker = ExpertFactory()
    quotes = [QuoteFactory(speaker=speaker) for _ in range(3)]
    QuoteFactory()
    response = api_client.get(reverse("expert-quotes-export", args=[speaker.pk]))
    assert {row["id"] for row in ndjson(response)} == {quote.pk for quote in quotes}
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="experts-{speaker.pk}-quotes-{today}.ndjson"'


def test_csv_with_a_byte_order_mark_opens_in_spreadsheets(api_client, small_chunks):
    """`?bom=true` starts the CSV with U+FEFF; its columns are the paged CSV's, its cells non-ASCII intact."""
    names = ["Elxan Şahinoğlu", "Сергей Лавров", "Ərəstun Nəzərli"]
    for name in names:
        QuoteFactory(speaker=ExpertFactory(name=name))
    response = api_client.get(QUOTES, {"format": "csv", "bom": "true", "fields": "id,text,speaker.name"})
    content = body(response)
    assert content.startswith(b"\xef\xbb\xbf") and response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    paged = api_client.get(reverse("quote-list"), {"format": "csv", "fields": "id,text,speaker.name"})
    assert list(rows[0]) == next(csv.reader(io.StringIO(paged.content.decode())))
    assert sorted(row["speaker.name"] for row in rows) == sorted(names)
    assert response["Content-Disposition"] == f'attachment; filename="quotes-{timezone.localdate()}.csv"'
    assert not body(api_client.get(QUOTES, {"format": "csv"})).startswith(b"\xef\xbb\xbf")


def test_anonymous_clients_get_the_row_limit_and_are_told(api_client, reader_client, small_chunks, settings):
    """Anonymous: at most API_EXPORT_ANONYMOUS_ROWS rows, and headers saying the file is partial."""
    settings.API_EXPORT_ANONYMOUS_ROWS = 3
    ArticleFactory.create_batch(5)
    anonymous = api_client.get(reverse("article-export"))
    assert len(ndjson(anonymous)) == 3
    assert (anonymous["X-Export-Truncated"], anonymous["X-Export-Row-Limit"]) == ("true", "3")
    authenticated = reader_client.get(reverse("article-export"))
    assert len(ndjson(authenticated)) == 5
    assert authenticated["X-Export-Truncated"] == "false" and "X-Export-Row-Limit" not in authenticated
    settings.API_EXPORT_ANONYMOUS_ROWS = 5
    assert api_client.get(reverse("article-export"))["X-Export-Truncated"] == "false"


def test_anonymous_exports_have_a_throttle_of_their_own(api_client, reader_client, monkeypatch):
    """Past the export rate an anonymous export is a 429 while the lists still answer."""
    from corpus_app.api.throttles import AnonymousExportRateThrottle

    monkeypatch.setattr(AnonymousExportRateThrottle, "rate", "1/minute", raising=False)
    assert api_client.get(reverse("outlet-export")).status_code == 200
    assert api_client.get(reverse("outlet-export")).status_code == 429
    assert api_client.get(reverse("outlet-list")).status_code == 200
    assert reader_client.get(reverse("outlet-export")).status_code == 200


@pytest.mark.parametrize(
    "query, field",
    [
        ({"speaker": "eleven"}, "speaker"),
        ({"ordering": "text"}, "ordering"),
        ({"bom": "maybe"}, "bom"),
        ({"cursor": "x"}, "cursor"),  # an export is not paged
        ({"facet": "speaker"}, "facet"),
    ],
)
def test_bad_input_is_a_json_400_before_anything_streams(api_client, query, field):
    """A bad filter, ordering or flag, or a parameter of pages, is the usual JSON 400 naming it."""
    response = api_client.get(QUOTES, {"format": "csv", **query})
    assert (response.status_code, response["Content-Type"]) == (400, "application/json")
    assert not response.streaming and field in response.json()


def test_queries_per_chunk_do_not_grow_with_its_rows(api_client, count_queries, monkeypatch):
    """A chunk costs its rows' query and one per prefetch, whether it holds one quote or six."""
    monkeypatch.setattr(exports, "CHUNK_ROWS", 10)

    def export():
        response = api_client.get(QUOTES)
        body(response)
        return response

    QuoteFactory()
    one_row = count_queries(export)
    for _ in range(5):
        QuoteFactory(speaker=ExpertFactory(), article=ArticleFactory())
    assert count_queries(export) == one_row


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_body_reads_one_state_of_the_corpus_under_the_timeout(api_client, small_chunks):
    """After the view's transaction has committed, the later chunks read in one snapshot of their own, each
    query bounded by the statement timeout: an edit committed meanwhile is not half in the file."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from corpus_app.models import Outlet
    from tests.factories import OutletFactory
    from tests.races import in_another_connection

    outlets = [OutletFactory(name=f"Outlet {n}") for n in range(6)]
    response = api_client.get(reverse("outlet-export"), {"ordering": "name"})
    stream = iter(response.streaming_content)
    with CaptureQueriesContext(connection) as queries:
        chunks = [next(stream), next(stream)]  # the view's chunk, then the body's first
        in_another_connection(lambda: Outlet.objects.filter(pk=outlets[5].pk).update(name="Outlet 5, renamed"))
        chunks += list(stream)
    assert [orjson.loads(line)["name"] for line in b"".join(chunks).splitlines()] == [f"Outlet {n}" for n in range(6)]
    statements = " ".join(query["sql"] for query in queries.captured_queries)
    assert "REPEATABLE READ, READ ONLY" in statements and "statement_timeout" in statements
