"""Test data for behaviour tests; the curated corpus is pinned by its own tests (tests/test_corpus.py).

Each test builds the few rows its behaviour needs, so that a filter has rows to keep and rows to
drop. `sample_corpus()` builds a small corpus of every kind of record for tests that only need
"some data everywhere" (query counts, every list as CSV, every admin page, the fuzz run).
"""

import datetime
from types import SimpleNamespace

import factory

from corpus_app.models import (
    Article,
    City,
    DatePrecision,
    Expert,
    ExpertKind,
    Outlet,
    ParticipantRole,
    Quote,
    Visit,
    VisitParticipant,
)
from corpus_app.provenance import quote_is_in_article

BODY = "The minister arrived.\n\n“We expect progress,” the analyst said. Nothing else was announced."


def body_quoting(*texts: str) -> str:
    """An article body that contains each of `texts` (the default body, plus a paragraph per missing one)."""
    return "\n\n".join([BODY, *(text for text in texts if not quote_is_in_article(text, BODY))])


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outlet

    name = factory.Sequence(lambda n: f"Outlet {n}")
    slug = factory.Sequence(lambda n: f"outlet-{n}")


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City

    name = factory.Sequence(lambda n: f"City {n}")
    slug = factory.Sequence(lambda n: f"city-{n}")
    country = "AZ"


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert

    name = factory.Sequence(lambda n: f"Analyst {n}")
    slug = factory.Sequence(lambda n: f"analyst-{n}")
    kind = ExpertKind.ANALYST

    class Params:
        official = factory.Trait(kind=ExpertKind.OFFICIAL, role="Minister")
        legislator = factory.Trait(kind=ExpertKind.LEGISLATOR, role="MP")


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"visit-{n}")
    title = factory.Sequence(lambda n: f"Visit {n}")
    host_country = "AZ"
    start_date = datetime.date(2023, 2, 27)
    start_date_precision = DatePrecision.DAY

    class Params:
        undated = factory.Trait(start_date=None, start_date_precision=DatePrecision.UNKNOWN)

    @factory.post_generation
    def cities(self, create, extracted, **kwargs):
        if create and extracted:
            self.cities.set(extracted)

    @factory.post_generation
    def visitors(self, create, extracted, **kwargs):
        """VisitFactory(visitors=[expert, ...]): each travelled on this visit."""
        if create:
            for person in extracted or ():
                VisitParticipantFactory(visit=self, person=person, role=ParticipantRole.VISITOR)

    @factory.post_generation
    def hosts(self, create, extracted, **kwargs):
        """VisitFactory(hosts=[expert, ...]): each was met by the visitors."""
        if create:
            for person in extracted or ():
                VisitParticipantFactory(visit=self, person=person, role=ParticipantRole.MET, office="Host")


class VisitParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisitParticipant

    visit = factory.SubFactory(VisitFactory)
    person = factory.SubFactory(ExpertFactory, official=True)
    role = ParticipantRole.VISITOR
    office = "Minister"


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"article-{n}")
    title = factory.Sequence(lambda n: f"Article {n}")
    outlet = factory.SubFactory(OutletFactory)
    published_date = datetime.date(2023, 3, 1)
    published_date_precision = DatePrecision.DAY
    body = BODY

    @factory.post_generation
    def visits(self, create, extracted, **kwargs):
        if create and extracted:
            self.visits.set(extracted)


class QuoteFactory(factory.django.DjangoModelFactory):
    """A quote; without an article given, its new article's body contains the text."""

    class Meta:
        model = Quote

    text = "We expect progress,"
    article = factory.SubFactory(
        ArticleFactory, body=factory.LazyAttribute(lambda a: body_quoting(a.factory_parent.text))
    )
    speaker = factory.SubFactory(ExpertFactory)


def quoted_article(*said, **article_fields) -> Article:
    """An article whose body holds each (speaker, text) of `said`, quoted in that order.

    The article's only visit, if it has one, becomes each quote's visit (as on a real save).
    """
    article = ArticleFactory(body=body_quoting(*(text for _, text in said)), **article_fields)
    for speaker, text in said:
        QuoteFactory(article=article, speaker=speaker, text=text)
    return article


def sample_corpus() -> SimpleNamespace:
    """A small corpus with every kind of record, several of each, each related to others.

    Two dated visits have two cities, visitors and a host, and two articles each; a third visit is
    undated. Four articles (one without an outlet) hold one to three quotes each. Enough rows of
    each kind, with related rows, that one query per row would show in a query count.
    """
    baku, ganja, yerevan = (
        CityFactory(name="Baku", slug="baku"),
        CityFactory(name="Ganja", slug="ganja"),
        CityFactory(name="Yerevan", slug="yerevan", country="AM"),
    )
    minister = ExpertFactory(name="Sergei Lavrov", slug="sergei-lavrov", official=True, country="RU")
    president = ExpertFactory(name="Ilham Aliyev", slug="ilham-aliyev", official=True, country="AZ")
    defence = ExpertFactory(
        name="Sergey Shoigu", slug="sergey-shoigu", official=True, country="RU", alternate_names=["Sergey Şoyqu"]
    )
    analyst = ExpertFactory(
        name="Elkhan Shahinoglu", slug="elkhan-shahinoglu", alternate_names=["Elhan Shainoglu", "Shainoglu"]
    )
    mp = ExpertFactory(name="Zahid Oruj", slug="zahid-oruj", legislator=True, country="AZ")
    spring = VisitFactory(
        slug="visit-spring", title="Spring visit", cities=[baku, ganja], visitors=[minister, defence], hosts=[president]
    )
    autumn = VisitFactory(
        slug="visit-autumn",
        title="Autumn visit",
        start_date=datetime.date(2020, 11, 21),
        cities=[baku, yerevan],
        visitors=[minister],
        hosts=[president],
    )
    announced = VisitFactory(slug="visit-announced", title="Announced visit", undated=True, status="announced")
    outlet, other_outlet = OutletFactory(name="Turan", slug="turan"), OutletFactory(name="Caliber", slug="caliber")
    unpublished_outlet = OutletFactory(name="Unpublished Weekly", slug="unpublished-weekly")
    articles = [
        quoted_article(
            (minister, "We expect progress,"), (analyst, "Nothing else was announced."), outlet=outlet, visits=[spring]
        ),
        quoted_article(
            (president, "The minister arrived."), (mp, "We expect progress,"), outlet=other_outlet, visits=[spring]
        ),
        quoted_article(
            (analyst, "The minister arrived."),
            (mp, "Nothing else was announced."),
            (defence, "We expect progress,"),
            outlet=outlet,
            visits=[autumn, announced],
            published_date=datetime.date(2020, 11, 23),
        ),
        quoted_article((analyst, "We expect progress,"), outlet=None, visits=[autumn]),
    ]
    return SimpleNamespace(
        cities=[baku, ganja, yerevan],
        experts=[minister, president, defence, analyst, mp],
        visits=[spring, autumn, announced],
        outlets=[outlet, other_outlet, unpublished_outlet],
        articles=articles,
        # One record of each kind with several related rows, for detail pages and related lists.
        article=articles[2],
        city=baku,
        expert=analyst,
        outlet=outlet,
        quote=articles[2].quotes.first(),
        visit=spring,
        visitparticipant=spring.participations.first(),
    )


# A page as a curator copies it, chrome and all, with a new speaker and a known one (ingest tests).
COPIED_PAGE = (
    "Home | Politics | Economy\n\nLavrov arrives in Baku\n\n13 May 2024 [10:15]\n\n"
    "Russian Foreign Minister Sergei Lavrov arrived in Baku on Monday for talks on the peace agenda.\n\n"
    '"The visit will focus on the peace treaty and on transport links," said Farid Mammadov, a political '
    "analyst at the Baku Policy Institute.\n\n"
    "“Moscow wants to keep its influence in the South Caucasus,” Elkhan Shahinoglu told Turan.\n\n"
    "Share\nFacebook\n\n© 2024 Example News"
)
