"""Test data for behaviour tests; the curated corpus is pinned by its own tests."""

import datetime

import factory

from corpus_app.models import Article, City, DatePrecision, Expert, ExpertKind, Outlet, Quote, Visit


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


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    slug = factory.Sequence(lambda n: f"visit-{n}")
    title = factory.Sequence(lambda n: f"Visit {n}")
    host_country = "AZ"
    start_date = datetime.date(2023, 2, 27)
    start_date_precision = DatePrecision.DAY


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"article-{n}")
    title = factory.Sequence(lambda n: f"Article {n}")
    outlet = factory.SubFactory(OutletFactory)
    published_date = datetime.date(2023, 3, 1)
    published_date_precision = DatePrecision.DAY
    body = "The minister arrived.\n\n“We expect progress,” the analyst said. Nothing else was announced."

    @factory.post_generation
    def visits(self, create, extracted, **kwargs):
        if create and extracted:
            self.visits.set(extracted)


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quote

    article = factory.SubFactory(ArticleFactory)
    speaker = factory.SubFactory(ExpertFactory)
    text = "We expect progress,"
