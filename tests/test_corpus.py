"""The curated corpus (fixtures/corpus.json): its facts are pinned so an edit that changes one is deliberate."""

import datetime
from pathlib import Path

import pytest

from corpus_app.models import Article, City, DatePrecision, Expert, Outlet, Quote, Visit, VisitParticipant
from corpus_app.provenance import quote_is_in_article

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
FIXTURE = SEEDS.parent / "corpus.json"

pytestmark = pytest.mark.django_db

ARTICLE_SEEDS = {
    "today-az-2023-02-27-lavrov-baku-visit-pivotal": "000",
    "caliber-az-2023-03-01-moscow-convenient-baku": "001",
    "why-lavrov-flew-to-aliyev": "002",
    "balanced-policy-difficult-for-azerbaijani-government": "003",
    "turan-2020-11-23-lavrov-shoigu-yerevan-baku": "004",
}


def seed_text(number: str) -> str:
    return next(SEEDS.glob(f"{number}_*.txt")).read_text(encoding="utf-8")


def test_counts(corpus):
    assert Article.objects.count() == 5
    assert Visit.objects.count() == 14
    assert Expert.objects.count() == 23
    assert Quote.objects.count() == 30
    assert VisitParticipant.objects.count() == 21
    assert Outlet.objects.count() == 3
    assert City.objects.count() == 3


def test_quotes_per_article(corpus):
    counts = {a.slug: a.quote_count for a in Article.objects.for_listing()}
    assert counts == {
        "today-az-2023-02-27-lavrov-baku-visit-pivotal": 4,
        "caliber-az-2023-03-01-moscow-convenient-baku": 2,
        "why-lavrov-flew-to-aliyev": 12,
        "balanced-policy-difficult-for-azerbaijani-government": 7,
        "turan-2020-11-23-lavrov-shoigu-yerevan-baku": 5,
    }


def test_every_quote_is_verbatim_in_its_article(corpus):
    for quote in Quote.objects.select_related("article"):
        assert quote_is_in_article(quote.text, quote.article.body), quote
        assert quote.position is not None


def test_every_body_paragraph_comes_from_its_seed(corpus):
    for slug, number in ARTICLE_SEEDS.items():
        seed = seed_text(number)
        for paragraph in Article.objects.get(slug=slug).body.split("\n\n"):
            assert paragraph in seed, (slug, paragraph[:60])


@pytest.mark.parametrize(
    "chrome",
    [
        "Print version",
        "Leave a Reply",
        "Leave a review",
        "Views:",
        "— 0—",
        "@HumbatovSamir",
        "İllüstrasiya",
        "Share it on social media",
        "Newsletter",
    ],
)
def test_page_chrome_is_not_in_any_body(corpus, chrome):
    assert not Article.objects.filter(body__contains=chrome).exists()


def test_article_metadata(corpus):
    today = Article.objects.get(slug="today-az-2023-02-27-lavrov-baku-visit-pivotal")
    assert (today.outlet.name, today.author, today.credit, today.section) == (
        "TODAY.AZ",
        "Elnur Enveroglu",
        "Azernews",
        "Politics",
    )
    assert (today.published_date, today.published_time) == (datetime.date(2023, 2, 27), datetime.time(17, 59))
    assert (today.url, today.view_count) == ("http://www.today.az/news/politics/232130.html", 1105)

    caliber = Article.objects.get(slug="caliber-az-2023-03-01-moscow-convenient-baku")
    assert (caliber.outlet.name, caliber.author, caliber.url, caliber.view_count) == ("Caliber.Az", "", "", 818)
    assert (caliber.published_date, caliber.published_time) == (datetime.date(2023, 3, 1), datetime.time(16, 15))

    turan = Article.objects.get(slug="turan-2020-11-23-lavrov-shoigu-yerevan-baku")
    assert (turan.outlet.name, turan.title, turan.published_date) == ("Turan", "", datetime.date(2020, 11, 23))


def test_undated_articles_carry_inferred_partial_dates(corpus):
    untitled_outlets = Article.objects.filter(outlet__isnull=True).order_by("slug")
    assert [a.slug for a in untitled_outlets] == [
        "balanced-policy-difficult-for-azerbaijani-government",
        "why-lavrov-flew-to-aliyev",
    ]
    balanced, why = untitled_outlets
    assert (why.published_date, why.published_date_precision, why.published_date_inferred) == (
        datetime.date(2015, 1, 1),
        DatePrecision.YEAR,
        True,
    )
    assert (balanced.published_date, balanced.published_date_precision, balanced.published_date_inferred) == (
        datetime.date(2022, 6, 1),
        DatePrecision.MONTH,
        True,
    )
    assert why.published_date_note and balanced.published_date_note
    assert not Article.objects.filter(outlet__isnull=False, published_date_inferred=True).exists()


def test_the_february_2023_visit(corpus):
    visit = Visit.objects.get(slug="lavrov-azerbaijan-2023-02")
    assert (visit.kind, visit.status, visit.host_country.code) == ("official", "held", "AZ")
    assert (visit.start_date, visit.end_date) == (datetime.date(2023, 2, 27), datetime.date(2023, 2, 28))
    assert not visit.start_date_inferred
    assert [c.name for c in visit.cities.all()] == ["Baku"]
    assert set(visit.articles.values_list("slug", flat=True)) == {
        "today-az-2023-02-27-lavrov-baku-visit-pivotal",
        "caliber-az-2023-03-01-moscow-convenient-baku",
    }
    met = visit.participations.get(role="met")
    assert (met.person.slug, met.inferred) == ("ilham-aliyev", True)


def test_announced_visit_of_june_2022_is_marked_and_its_year_inferred(corpus):
    visit = Visit.objects.get(slug="lavrov-azerbaijan-2022-06")
    assert visit.status == "announced"
    assert (visit.start_date, visit.start_date_precision, visit.start_date_inferred) == (
        datetime.date(2022, 6, 23),
        DatePrecision.DAY,
        True,
    )


def test_visits_the_seeds_do_not_date_have_no_date(corpus):
    undated = set(Visit.objects.filter(start_date__isnull=True).values_list("slug", flat=True))
    assert undated == {
        "putin-azerbaijan-european-games",
        "manturov-azerbaijan-announced",
        "mammadyarov-moscow-before-2015",
        "mammadyarov-turkey-before-2015",
        "lavrov-turkey-before-2022-06",
        "lavrov-armenia-before-2022-06",
    }
    assert not Visit.objects.filter(start_date__isnull=True, start_date_precision__in=["day", "month", "year"]).exists()


def test_november_2020_trip_is_two_visits_on_one_day(corpus):
    yerevan = Visit.objects.get(slug="lavrov-shoigu-armenia-2020-11")
    baku = Visit.objects.get(slug="lavrov-shoigu-azerbaijan-2020-11")
    for visit in (yerevan, baku):
        assert visit.start_date == visit.end_date == datetime.date(2020, 11, 21)
        visitors = visit.participations.filter(role="visitor").values_list("person__slug", flat=True)
        assert set(visitors) == {"sergei-lavrov", "sergey-shoigu"}


def test_one_analyst_spelled_two_ways_is_one_expert(corpus):
    """Shahinoglu (seed 003) and Shainoglu (seed 004) are one person: quoted in one, relaying in the other."""
    shahinoglu = Expert.objects.get(slug="elkhan-shahinoglu")
    assert "Elhan Shainoglu" in shahinoglu.alternate_names
    assert set(shahinoglu.quotes.values_list("article__slug", flat=True)) == {
        "balanced-policy-difficult-for-azerbaijani-government"
    }
    assert set(shahinoglu.relayed_quotes.values_list("article__slug", flat=True)) == {
        "turan-2020-11-23-lavrov-shoigu-yerevan-baku"
    }
    assert list(Expert.objects.spelled("Shainoglu")) == [shahinoglu]


def test_oruj_and_orujlu_are_different_people(corpus):
    assert Expert.objects.get(slug="zahid-oruj").quotes.count() == 4
    assert Expert.objects.get(slug="arastun-orujlu").quotes.count() == 1


def test_quote_visits(corpus):
    lavrov_interview = Quote.objects.get(text__startswith="Azerbaijan's territories were occupied")
    assert lavrov_interview.visit is None
    aliyev_on_putin = Quote.objects.get(text__startswith="it's worth, this is a prime indicator")
    assert aliyev_on_putin.visit.slug == "putin-azerbaijan-european-games"
    for quote in Quote.objects.filter(visit__isnull=False).select_related("article"):
        assert quote.article.visits.filter(pk=quote.visit_id).exists(), quote


def test_multi_paragraph_quote_keeps_its_paragraph_break(corpus):
    quote = Quote.objects.get(text__startswith="The recent events unfolding")
    assert "certain issues.\n\nIt is an open secret" in quote.text


def test_only_direct_quotations_are_curated(corpus):
    assert set(Quote.objects.values_list("kind", flat=True)) == {"direct"}


def test_every_inference_explains_itself(corpus):
    for visit in Visit.objects.filter(start_date_inferred=True):
        assert visit.start_date_note
    for participation in VisitParticipant.objects.filter(inferred=True):
        assert participation.note


# ------------------------------------------------------------------ corrections after a re-read of the seeds
def test_seed_002_is_dated_2015_from_its_own_clues(corpus):
    """The undated seed 002 and its visit are 2015 (year, inferred), with the clues in the notes."""
    visit = Visit.objects.get(slug="lavrov-azerbaijan-2015")
    article = Article.objects.get(slug="why-lavrov-flew-to-aliyev")
    for date, precision, inferred in [
        (visit.start_date, visit.start_date_precision, visit.start_date_inferred),
        (article.published_date, article.published_date_precision, article.published_date_inferred),
    ]:
        assert (date, precision, inferred) == (datetime.date(2015, 1, 1), DatePrecision.YEAR, True)
    for clue in ("three years ago", "December 2012", "Sverdlovsk", "Russia Arms Expo 2015", "European Game"):
        assert clue in visit.start_date_note, clue
    assert "1 September 2015" in visit.start_date_note
    assert visit.title == "Lavrov's working visit to Baku, 2015"
    assert article.visits.filter(pk=visit.pk).exists()


def test_nothing_built_on_seed_002_still_says_2016(corpus):
    """Slugs, titles and notes built on the old year were renamed; only the Iran deal's alternative date remains."""
    assert not Visit.objects.filter(slug__contains="2016").exists()
    assert not Visit.objects.filter(title__contains="2016").exists()
    assert set(Visit.objects.filter(slug__endswith="before-2015").values_list("slug", flat=True)) == {
        "mammadyarov-moscow-before-2015",
        "mammadyarov-turkey-before-2015",
    }
    assert not Quote.objects.filter(notes__contains="2016").exists()
    for visit in Visit.objects.filter(start_date_note__contains="2016"):
        assert "January 2016" in visit.start_date_note


def test_words_relayed_by_an_analyst_are_attributed_to_whoever_said_them(corpus):
    """Seed 004: Shainoglu's post relays Lavrov's statement; Lavrov is the speaker, Shainoglu the relay."""
    quote = Quote.objects.get(text__startswith="Each side has declared its intention")
    assert (quote.speaker.slug, quote.relayed_by.slug) == ("sergei-lavrov", "elkhan-shahinoglu")
    assert "Shainoglu" in quote.notes
    assert Quote.objects.filter(relayed_by__isnull=False).count() == 1


def test_the_february_2023_summary_says_only_what_the_seeds_say_of_3_plus_3(corpus):
    """The seeds predict that the '3+3' format would be discussed; neither reports that it was."""
    summary = Visit.objects.get(slug="lavrov-azerbaijan-2023-02").summary
    assert "expected the '3+3' format to be discussed (seed 000)" in summary
    assert "neither seed reports that it was" in summary
    assert "discussed regional security, Armenian-Azerbaijani normalisation and the '3+3' format" not in summary


def test_seed_001_section_is_as_printed(corpus):
    assert Article.objects.get(slug="caliber-az-2023-03-01-moscow-convenient-baku").section == "ANALYTICS"


@pytest.mark.parametrize(
    "slug, chrome",
    [
        ("today-az-2023-02-27-lavrov-baku-visit-pivotal", "Connect with us. Get latest news and updates."),
        ("caliber-az-2023-03-01-moscow-convenient-baku", "Ссылка скопирована"),
        ("caliber-az-2023-03-01-moscow-convenient-baku", "'ads'"),
        ("caliber-az-2023-03-01-moscow-convenient-baku", "Analytical materials of te authors of Caliber.az"),
        ("caliber-az-2023-03-01-moscow-convenient-baku", "'loading'"),
        ("balanced-policy-difficult-for-azerbaijani-government", "Back to top button"),
    ],
)
def test_each_removed_piece_of_chrome_is_listed_in_the_notes(corpus, slug, chrome):
    """The chrome is in the seed, not in the body, and the article's notes say it was removed."""
    article = Article.objects.get(slug=slug)
    printed = chrome.strip("'")
    assert printed in seed_text(ARTICLE_SEEDS[slug])
    assert chrome in article.notes
    assert printed not in {line.strip() for line in article.body.splitlines()}


def _chrome_left_on_line(line: str, body: str) -> str:
    """What of a seed line is not the article's own words: the line less its longest prefix (of a
    sentence or more) found in the body."""
    for end in range(len(line), 40, -1):
        if line[:end] in body:
            return line[end:].strip()
    return line


@pytest.mark.parametrize("slug", ARTICLE_SEEDS)
def test_the_notes_list_every_line_of_the_page_that_the_body_left_out(corpus, slug):
    """Every seed line (or tail of a line) missing from the body is the headline or quoted in the notes."""
    article = Article.objects.get(slug=slug)
    lines = [" ".join(line.split()).lstrip("• ") for line in seed_text(ARTICLE_SEEDS[slug]).splitlines()]
    missing = [
        chrome
        for line in lines
        if not (article.title and article.title in line)
        and (chrome := _chrome_left_on_line(line, " ".join(article.body.split())))
        and f"'{chrome}'" not in article.notes
    ]
    assert missing == []


def test_search_finds_the_corpus_in_the_spellings_of_its_synonym_table(corpus, api_client):
    """The shipped synonym groups join spellings the seeds use: Zangezur finds seed 001's Zangazur, and
    Karabakh finds seed 004's Garabagh, which no folding rule could join."""
    zangazur = api_client.get("/api/search/", {"q": "Zangezur", "type": "article"}).json()["results"]
    assert [hit["id"] for hit in zangazur] == [Article.objects.get(body__contains="Zangazur").pk]
    garabagh = api_client.get("/api/quotes/", {"search": "Karabakh"}).json()["results"]
    assert any("Garabagh" in quote["text"] for quote in garabagh)
