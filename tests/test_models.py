import datetime

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from corpus_app.models import Article, City, CorpusModel, DatePrecision, Expert, Quote, SearchSynonym, Visit
from corpus_app.models.base import MaintainedCount
from tests.factories import ArticleFactory, CityFactory, ExpertFactory, QuoteFactory, VisitFactory

pytestmark = pytest.mark.django_db


def integrity_error_on(save):
    with pytest.raises(IntegrityError), transaction.atomic():
        save()


class TestVisitDates:
    def test_database_refuses_an_end_before_the_start(self):
        visit = VisitFactory.build(
            start_date=datetime.date(2023, 2, 28),
            end_date=datetime.date(2023, 2, 27),
            end_date_precision=DatePrecision.DAY,
        )
        integrity_error_on(visit.save)

    def test_full_clean_explains_an_end_before_the_start(self):
        visit = VisitFactory.build(
            start_date=datetime.date(2023, 2, 28),
            end_date=datetime.date(2023, 2, 27),
            end_date_precision=DatePrecision.DAY,
        )
        with pytest.raises(ValidationError, match="cannot end before it starts"):
            visit.full_clean()

    def test_month_precision_is_stored_as_the_first_of_the_month(self):
        visit = VisitFactory(start_date=datetime.date(2022, 12, 17), start_date_precision=DatePrecision.MONTH)
        visit.refresh_from_db()
        assert visit.start_date == datetime.date(2022, 12, 1)
        assert visit.dates_display == "December 2022"

    def test_year_precision_is_stored_as_the_first_of_the_year(self):
        visit = VisitFactory(start_date=datetime.date(2016, 5, 17), start_date_precision=DatePrecision.YEAR)
        visit.refresh_from_db()
        assert visit.start_date == datetime.date(2016, 1, 1)
        assert visit.dates_display == "2016"

    def test_a_date_with_unknown_precision_is_refused(self):
        visit = VisitFactory.build(start_date=datetime.date(2016, 1, 1), start_date_precision=DatePrecision.UNKNOWN)
        integrity_error_on(visit.save)

    def test_a_precision_without_a_date_is_refused(self):
        visit = VisitFactory.build(start_date=None, start_date_precision=DatePrecision.DAY)
        integrity_error_on(visit.save)

    def test_an_unknown_date_is_allowed(self):
        visit = VisitFactory(start_date=None, start_date_precision=DatePrecision.UNKNOWN)
        assert visit.dates_display == "date unknown"

    def test_an_inferred_date_needs_a_note(self):
        visit = VisitFactory.build(start_date_inferred=True, start_date_note="")
        integrity_error_on(visit.save)
        visit.start_date_note = "The seed says 'last week'."
        visit.save()


class TestArticle:
    def test_source_url_is_unique_when_given(self):
        ArticleFactory(url="https://example.org/a")
        integrity_error_on(lambda: ArticleFactory(url="https://example.org/a"))

    def test_many_articles_may_have_no_url(self):
        ArticleFactory(url="")
        ArticleFactory(url="")
        assert Article.objects.filter(url="").count() == 2

    def test_a_publication_time_needs_a_day_precise_date(self):
        article = ArticleFactory.build(
            published_date=datetime.date(2022, 6, 1),
            published_date_precision=DatePrecision.MONTH,
            published_time=datetime.time(17, 59),
            outlet=None,
        )
        integrity_error_on(article.save)

    def test_untitled_article_is_named_by_outlet_and_date(self):
        article = ArticleFactory(title="", outlet__name="Turan")
        assert str(article) == "[untitled] Turan, 1 March 2023"

    def test_deleting_an_article_with_quotes_is_refused(self):
        quote = QuoteFactory()
        with pytest.raises(ProtectedError):
            quote.article.delete()
        assert Quote.objects.filter(pk=quote.pk).exists()

    def test_editing_the_body_so_a_quote_disappears_is_refused_by_validation(self):
        quote = QuoteFactory()
        article = Article.objects.get(pk=quote.article_id)
        article.body = "Entirely different words."
        with pytest.raises(ValidationError, match="no longer contains"):
            article.full_clean()

    def test_editing_the_body_moves_quote_positions(self):
        quote = QuoteFactory()
        article = Article.objects.get(pk=quote.article_id)
        article.body = "A new first line.\n\n" + article.body
        article.save()
        quote.refresh_from_db()
        assert article.body[quote.position :].startswith("We expect progress")


class TestQuote:
    def test_position_is_the_offset_in_the_article(self):
        quote = QuoteFactory()
        assert quote.article.body[quote.position :].startswith("We expect progress,")

    def test_quotes_list_in_reading_order(self):
        article = ArticleFactory()
        later = QuoteFactory(article=article, text="Nothing else was announced.")
        earlier = QuoteFactory(article=article, text="The minister arrived.")
        assert list(article.quotes.all()) == [earlier, later]

    def test_text_not_in_the_article_fails_validation(self):
        quote = QuoteFactory.build(text="Words nobody said.", article=ArticleFactory(), speaker=ExpertFactory())
        with pytest.raises(ValidationError, match="does not appear in the article"):
            quote.full_clean()

    def test_text_differing_only_in_white_space_and_marks_passes_validation(self):
        quote = QuoteFactory.build(
            text='"We expect progress,"  the\nanalyst said.', article=ArticleFactory(), speaker=ExpertFactory()
        )
        quote.full_clean()

    def test_visit_defaults_to_the_articles_only_visit(self):
        visit = VisitFactory()
        quote = QuoteFactory(article=ArticleFactory(visits=[visit]))
        assert quote.visit == visit

    def test_no_default_visit_when_the_article_covers_two(self):
        quote = QuoteFactory(article=ArticleFactory(visits=[VisitFactory(), VisitFactory()]))
        assert quote.visit is None

    def test_a_visit_the_article_does_not_cover_fails_validation(self):
        quote = QuoteFactory(article=ArticleFactory(visits=[VisitFactory()]))
        quote.visit = VisitFactory()
        with pytest.raises(ValidationError, match="does not cover this visit"):
            quote.full_clean()

    def test_the_same_quote_twice_in_one_article_is_refused(self):
        quote = QuoteFactory()
        integrity_error_on(lambda: QuoteFactory(article=quote.article, text="We  expect progress,"))

    def test_deleting_a_quoted_expert_is_refused(self):
        quote = QuoteFactory()
        with pytest.raises(ProtectedError):
            quote.speaker.delete()
        assert Expert.objects.filter(pk=quote.speaker_id).exists()

    def test_deleting_a_visit_with_quotes_is_refused(self):
        visit = VisitFactory()
        QuoteFactory(article=ArticleFactory(visits=[visit]))
        with pytest.raises(ProtectedError):
            visit.delete()
        assert Visit.objects.filter(pk=visit.pk).exists()

    def test_deleting_a_record_that_others_list_is_refused(self):
        """A city its visits list, a visit its articles list: deleting would unlink them without a history entry."""
        city = CityFactory()
        visit = VisitFactory(cities=[city])
        ArticleFactory(visits=[visit])
        for listed in (city, visit, City.objects.filter(pk=city.pk), Visit.objects.all()):
            # Refused inside the delete's transaction, after Django's own checks: roll back to go on.
            with pytest.raises(ProtectedError), transaction.atomic():
                listed.delete()
        assert (City.objects.count(), Visit.objects.count(), visit.cities.count()) == (1, 1, 1)


class TestExpert:
    def test_found_by_an_alternate_spelling(self):
        expert = ExpertFactory(name="Elkhan Shahinoglu", alternate_names=["Elhan Shainoglu"])
        assert list(Expert.objects.spelled("shainoglu")) == [expert]

    def test_found_by_a_spelling_with_non_ascii_letters(self):
        expert = ExpertFactory(name="Sergey Shoigu", alternate_names=["Sergey Şoyqu"])
        assert list(Expert.objects.spelled("Şoyqu")) == [expert]

    def test_a_spelling_that_is_another_experts_name_fails_validation(self):
        ExpertFactory(name="Zahid Oruj")
        expert = ExpertFactory.build(name="Arastun Orujlu", alternate_names=["Zahid Oruj"])
        with pytest.raises(ValidationError, match="already the name of another expert"):
            expert.full_clean()

    def test_alternate_names_must_be_a_list_of_spellings(self):
        expert = ExpertFactory.build(alternate_names="Shainoglu")
        with pytest.raises(ValidationError, match="list of non-empty spellings"):
            expert.full_clean()

    def test_a_repeated_spelling_fails_validation(self):
        expert = ExpertFactory.build(name="Ilgar Velizade", alternate_names=["ilgar velizade"])
        with pytest.raises(ValidationError, match="repeated"):
            expert.full_clean()

    def test_counts_of_quotes_and_articles(self):
        speaker = ExpertFactory()
        article = ArticleFactory()
        QuoteFactory(speaker=speaker, article=article, text="The minister arrived.")
        QuoteFactory(speaker=speaker, article=article)
        QuoteFactory(speaker=speaker)
        counted = Expert.objects.for_listing().get(pk=speaker.pk)
        assert (counted.quote_count, counted.article_count) == (3, 2)


def test_saving_a_record_moves_updated_at_but_not_created_at():
    expert = ExpertFactory()
    created, updated = expert.created_at, expert.updated_at
    expert.role = "political scientist"
    expert.save()
    expert.refresh_from_db()
    assert expert.created_at == created
    assert expert.updated_at > updated


# ------------------------------------------------------------------ declarations every way in relies on
SYSTEM_FIELDS = {"id", "version", "created_at", "updated_at"}
DERIVED_FIELDS = {"search_names", "position", "text_digest", "search_head", "search_rest"}
# Search synonyms are search configuration, curated in the admin only: no API, no import.
CORPUS_MODELS = [
    m
    for m in django_apps.get_app_config("corpus_app").get_models()
    if issubclass(m, CorpusModel) and m is not SearchSynonym
]


@pytest.mark.parametrize("model", CORPUS_MODELS, ids=lambda m: m.__name__)
def test_every_curated_field_is_declared_once_and_reaches_api_and_import(model):
    """A field a curator edits is in `curated_fields`, so the write serializer and import take it too."""
    from corpus_app import resources
    from corpus_app.api import serializers

    # A many-to-many with a model of its own (a visit's participants) is curated through that model.
    plain_many = [f for f in model._meta.many_to_many if f.remote_field.through._meta.auto_created]
    editable = {f.name for f in [*model._meta.concrete_fields, *plain_many] if not isinstance(f, MaintainedCount)}
    assert set(model.curated_fields) == editable - SYSTEM_FIELDS - DERIVED_FIELDS
    resource = getattr(resources, f"{model.__name__}Resource")
    assert set(resource().get_export_headers()) == set(model.curated_fields)
    write = getattr(serializers, f"{model.__name__}WriteSerializer", None) or getattr(
        serializers, f"{model.__name__}Serializer"
    )
    writable = {name for name, field in write().fields.items() if not field.read_only}
    assert writable == set(model.curated_fields)


@pytest.mark.parametrize("model", [Expert, Quote], ids=lambda m: m.__name__)
def test_the_fixture_receiver_listens_to_corpus_models_only(model):
    from django.contrib.auth.models import Group
    from django.db.models.signals import pre_save

    from corpus_app.signals import validate_raw_fixture_row

    assert validate_raw_fixture_row in pre_save._live_receivers(model)[0]
    assert validate_raw_fixture_row not in pre_save._live_receivers(Group)[0]
