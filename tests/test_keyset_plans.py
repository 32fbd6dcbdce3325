"""On PostgreSQL, every list's page query is read from an index in order: bench/explain.py's check,
on a few hundred rows with sequential scans and sorts disabled, so that a plan without an index shows."""

import datetime
import hashlib

import pytest
from django.db import connection

from bench.explain import endpoint_plans
from corpus_app.models import Article, Expert, Outlet, Quote, Visit, VisitParticipant
from tests.factories import CityFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def a_few_hundred_rows():
    """Rows of every kind, some with NULL sort keys, bulk-created (no provenance checks: only plans matter)."""
    outlets = Outlet.objects.bulk_create(Outlet(name=f"Outlet {n}", slug=f"outlet-{n}") for n in range(3))
    experts = Expert.objects.bulk_create(
        Expert(name=f"Expert {n}", slug=f"expert-{n}", kind="analyst", country="AZ") for n in range(20)
    )
    visits = Visit.objects.bulk_create(
        Visit(slug=f"visit-{n}", title=f"Visit {n}", host_country="AZ", start_date=datetime.date(2020, 1, 1 + n % 28),
              start_date_precision="day")
        for n in range(30)
    )  # fmt: skip
    articles = Article.objects.bulk_create(
        Article(
            slug=f"article-{n}", title=f"Article {n}", body="Words.", outlet=outlets[n % 3], section="Politics",
            published_date=None if n % 10 == 0 else datetime.date(2020, 1 + n % 12, 1),
            published_date_precision="unknown" if n % 10 == 0 else "month", view_count=n if n % 3 else None,
        )
        for n in range(300)
    )  # fmt: skip
    Article.visits.through.objects.bulk_create(
        Article.visits.through(article=article, visit=visits[n % 30]) for n, article in enumerate(articles)
    )
    Quote.objects.bulk_create(
        Quote(
            article=articles[n % 300], speaker=experts[n % 20], relayed_by=experts[(n + 1) % 20],
            visit=visits[n % 30], text=f"Words {n}.", position=n, text_digest=hashlib.sha256(b"%d" % n).hexdigest(),
        )
        for n in range(600)
    )  # fmt: skip
    VisitParticipant.objects.bulk_create(
        VisitParticipant(visit=visit, person=experts[n % 20], role="visitor") for n, visit in enumerate(visits)
    )
    CityFactory(country="AZ").visits.add(visits[0])
    with connection.cursor() as cursor:
        for model in (Outlet, Expert, Visit, Article, Article.visits.through, Quote, VisitParticipant):
            cursor.execute(f"ANALYZE {model._meta.db_table}")  # statistics, as autovacuum would have them


def test_every_page_query_reads_an_index_in_order(a_few_hundred_rows):
    """No list, ordering or filter reads a whole table or sorts it; a cursor page's first key is an Index Cond."""
    plans = endpoint_plans(force_index=True, page_size=5)
    failing = [f"{plan.label}: {plan.problems}\n{plan.text}" for plan in plans if plan.problems]
    assert not failing, "\n\n".join(failing)
    by_label = {plan.label: plan.text for plan in plans}
    deep = by_label["article-list ordering=-published_date, after a cursor"]
    condition = next(line for line in deep.splitlines() if "Index Cond" in line)
    assert "COALESCE(published_date, '0001-01-01'::date) <=" in condition, deep
    assert "Index Cond" in by_label["quote-list ordering=reading_order, after a cursor"]
