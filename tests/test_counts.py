"""The counts lists show (an article's quotes, an expert's articles) follow every write that moves them."""

import io

import pytest
from django.core.management import CommandError, call_command

from corpus_app.counts import COUNT_COLUMNS, count_drift, recount
from corpus_app.models import Article, City, Expert, Outlet, Quote, Visit
from tests.factories import (
    ArticleFactory,
    CityFactory,
    ExpertFactory,
    OutletFactory,
    QuoteFactory,
    VisitFactory,
    body_quoting,
)

pytestmark = pytest.mark.django_db

FIRST, SECOND = "We expect progress,", "Nothing else was announced."


def stored(record, field: str) -> int:
    return type(record)._base_manager.values_list(field, flat=True).get(pk=record.pk)


def assert_no_drift():
    assert count_drift() == []


def test_a_quote_counts_for_its_article_speaker_and_visit_until_deleted():
    visit = VisitFactory()
    article = ArticleFactory(body=body_quoting(FIRST, SECOND), visits=[visit])
    speaker = ExpertFactory()
    quote = QuoteFactory(article=article, speaker=speaker, text=FIRST)
    assert quote.visit == visit
    assert [stored(article, "quote_count"), stored(speaker, "quote_count"), stored(speaker, "article_count")] == [
        1,
        1,
        1,
    ]
    assert stored(visit, "quote_count") == 1

    quote.delete()
    assert [stored(article, "quote_count"), stored(speaker, "quote_count"), stored(speaker, "article_count")] == [
        0,
        0,
        0,
    ]
    assert stored(visit, "quote_count") == 0
    assert_no_drift()


def test_an_expert_counts_each_article_quoting_them_once_however_many_quotes():
    speaker = ExpertFactory()
    article = ArticleFactory(body=body_quoting(FIRST, SECOND))
    first = QuoteFactory(article=article, speaker=speaker, text=FIRST)
    QuoteFactory(article=article, speaker=speaker, text=SECOND)
    QuoteFactory(speaker=speaker, text=FIRST)  # in an article of its own
    assert (stored(speaker, "quote_count"), stored(speaker, "article_count")) == (3, 2)

    first.delete()
    assert (stored(speaker, "quote_count"), stored(speaker, "article_count")) == (2, 2)
    Quote.objects.filter(article=article).delete()  # a batch: every row goes before the first signal
    assert (stored(speaker, "quote_count"), stored(speaker, "article_count")) == (1, 1)
    assert_no_drift()


def test_moving_a_quote_to_another_speaker_or_visit_moves_its_count():
    first_visit, second_visit = VisitFactory(), VisitFactory()
    article = ArticleFactory(visits=[first_visit, second_visit])
    before, after = ExpertFactory(), ExpertFactory()
    quote = QuoteFactory(article=article, speaker=before, visit=first_visit)

    quote.speaker, quote.visit = after, second_visit
    quote.save()
    assert (stored(before, "quote_count"), stored(before, "article_count")) == (0, 0)
    assert (stored(after, "quote_count"), stored(after, "article_count")) == (1, 1)
    assert (stored(first_visit, "quote_count"), stored(second_visit, "quote_count")) == (0, 1)
    assert_no_drift()


def test_a_stale_copy_of_a_record_saved_later_leaves_its_counts_alone():
    """A curator's form holds the article as it was read; quotes added meanwhile still count."""
    article = ArticleFactory()
    stale_copy = Article.objects.get(pk=article.pk)
    QuoteFactory(article=article)
    stale_copy.title = "Edited while a quote was added"
    stale_copy.save()
    assert stored(article, "quote_count") == 1
    assert_no_drift()


def test_an_articles_outlet_and_visits_count_it_through_every_change():
    first_outlet, second_outlet = OutletFactory(), OutletFactory()
    first_visit, second_visit = VisitFactory(), VisitFactory()
    article = ArticleFactory(outlet=first_outlet, visits=[first_visit])
    assert (stored(first_outlet, "article_count"), stored(first_visit, "article_count")) == (1, 1)

    article.outlet = second_outlet
    article.save()
    article.visits.add(second_visit, first_visit)  # adding a linked visit again counts nothing
    assert (stored(first_outlet, "article_count"), stored(second_outlet, "article_count")) == (0, 1)
    assert (stored(first_visit, "article_count"), stored(second_visit, "article_count")) == (1, 1)

    article.visits.remove(first_visit, VisitFactory())  # removing one never linked counts nothing
    second_visit.articles.add(ArticleFactory())  # from the visit's side
    assert (stored(first_visit, "article_count"), stored(second_visit, "article_count")) == (0, 2)
    second_visit.articles.clear()
    assert stored(second_visit, "article_count") == 0

    article.visits.set([first_visit, second_visit])
    article.delete()
    assert (stored(second_outlet, "article_count"), stored(first_visit, "article_count")) == (0, 0)
    assert_no_drift()


def test_a_city_counts_the_visits_that_went_there():
    baku, ganja = CityFactory(), CityFactory()
    visit = VisitFactory(cities=[baku])
    ganja.visits.add(visit, VisitFactory())
    assert (stored(baku, "visit_count"), stored(ganja, "visit_count")) == (1, 2)
    visit.cities.set([ganja])
    assert (stored(baku, "visit_count"), stored(ganja, "visit_count")) == (0, 2)
    visit.delete()
    assert stored(ganja, "visit_count") == 1
    assert_no_drift()


def test_drift_is_reported_by_check_corpus_and_repaired_by_recount():
    quote = QuoteFactory()
    Expert.objects.filter(pk=quote.speaker_id).update(quote_count=7)  # a write around the models
    VisitFactory(cities=[CityFactory()])
    City.objects.update(visit_count=0)
    drift = {str(found) for found in count_drift()}
    assert drift == {
        f"expert.quote_count of {quote.speaker.slug} is 7, but 1 rows are counted",
        f"city.visit_count of {City.objects.get().slug} is 0, but 1 rows are counted",
    }
    with pytest.raises(CommandError, match="2 problem"):
        call_command("check_corpus", stdout=io.StringIO(), stderr=io.StringIO())

    recount()
    assert_no_drift()
    Outlet.objects.update(article_count=3)
    call_command("check_corpus", "--fix-counts", stdout=io.StringIO())
    assert_no_drift()


def test_loaddata_counts_what_it_loaded(tmp_path):
    """Fixture rows are saved raw, without the receivers: the load recounts once it is done."""
    QuoteFactory(article=ArticleFactory(visits=[VisitFactory(cities=[CityFactory()])]))
    fixture = tmp_path / "backup.json"
    call_command("dumpdata", "corpus_app", natural_foreign=True, natural_primary=True, output=str(fixture))
    expected = {
        str(column): list(column.model.objects.values_list(column.field, flat=True)) for column in COUNT_COLUMNS
    }
    for model in (Quote, Article, Visit, Expert, Outlet, City):
        model.objects.all().delete()

    call_command("loaddata", str(fixture), verbosity=0)
    loaded = {str(column): list(column.model.objects.values_list(column.field, flat=True)) for column in COUNT_COLUMNS}
    assert loaded == expected
    assert all(value == [1] for value in loaded.values()), loaded


def test_changing_only_a_quotes_visit_leaves_the_speakers_articles_alone():
    first_visit, second_visit = VisitFactory(), VisitFactory()
    quote = QuoteFactory(article=ArticleFactory(visits=[first_visit, second_visit]), visit=first_visit)
    for visit in (second_visit, None, first_visit):
        quote.visit = visit
        quote.save()
        assert (stored(quote.speaker, "quote_count"), stored(quote.speaker, "article_count")) == (1, 1)
    assert (stored(first_visit, "quote_count"), stored(second_visit, "quote_count")) == (1, 0)
    assert_no_drift()


def test_a_recount_moves_the_change_stamp(django_capture_on_commit_callbacks):
    """Corrected counts change what reads show, so a client's tag from before must not answer 304."""
    from corpus_app.changes import current_stamp

    before = current_stamp()
    with django_capture_on_commit_callbacks(execute=True):
        recount()
    assert current_stamp() != before
