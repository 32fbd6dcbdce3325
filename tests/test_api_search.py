"""GET /api/search/ and the lists' ?search=: what an analyst finds, in what order, within what bounds.

Tests marked `postgres` hold what only PostgreSQL does (stemmed ranking from stored vectors, trigram
names in the index); the rest hold on both databases.
"""

import datetime
import io

import pytest
from django.urls import reverse

from corpus_app.models import Article, Expert, Quote, SearchSynonym
from tests.factories import (
    ArticleFactory,
    ExpertFactory,
    QuoteFactory,
    VisitFactory,
    VisitParticipantFactory,
    quoted_article,
)
from tests.test_archive import generated_archive, import_bytes

pytestmark = pytest.mark.django_db
SEARCH = reverse("search")


def search(client, q, **params):
    response = client.get(SEARCH, {"q": q, **params})
    assert response.status_code == 200, response.json()
    return response.json()


def found(client, q, **params) -> list[tuple[str, int]]:
    return [(hit["type"], hit["id"]) for hit in search(client, q, **params)["results"]]


def test_mixed_hits_carry_type_title_score_snippet_and_address(api_client):
    """Articles, quotes, experts and visits come back in one list, each saying what and where it is."""
    lavrov = ExpertFactory(name="Sergei Lavrov", alternate_names=["Sergey Lavrov"])
    visit = VisitFactory(title="Lavrov in Baku", summary="Talks on the peace treaty.")
    article = quoted_article((lavrov, "The treaty is close, we believe."), title="Treaty talks in Baku", visits=[visit])
    answer = search(api_client, "treaty")
    kinds = {hit["type"] for hit in answer["results"]}
    assert kinds == {"article", "quote", "visit"} and answer["count"] == 3 and answer["count_is_floor"] is False
    hit = next(hit for hit in answer["results"] if hit["type"] == "article")
    assert hit["id"] == article.pk and hit["title"] == "Treaty talks in Baku" and hit["score"] > 0
    assert hit["url"].endswith(f"/api/articles/{article.pk}/") and "<mark>treaty</mark>" in hit["snippet"]
    quote = next(hit for hit in answer["results"] if hit["type"] == "quote")
    assert quote["speaker"]["name"] == "Sergei Lavrov" and quote["article"]["id"] == article.pk
    assert quote["snippet"] == "The <mark>treaty</mark> is close, we believe."


def test_folded_letters_and_transliterations_find_each_other(api_client):
    """Şoyqu, Shoigu and Soyqu; Əliyev, Aliyev and Aliev: each finds the text written in another."""
    first = ArticleFactory(body="Sergey Şoyqu arrived with the delegation.")
    second = ArticleFactory(body="President Ilham Aliyev received him.")
    for spelling in ("Shoigu", "Soyqu", "Шойгу"):
        assert found(api_client, spelling, type="article") == [("article", first.pk)]
    for spelling in ("Əliyev", "Aliev", "Алиев"):
        assert found(api_client, spelling, type="article") == [("article", second.pk)]
    assert "<mark>Şoyqu</mark>" in search(api_client, "Shoigu")["results"][0]["snippet"]


def test_phrases_prefixes_exclusions_and_alternatives(api_client):
    phrase = ArticleFactory(body="Baku backs the 3+3 format for the region.")
    apart = ArticleFactory(body="The format of the talks was 3 sides plus 3.")
    prefix = ArticleFactory(body="Through the Zangazur corridor.")
    assert found(api_client, '"3+3 format"', type="article") == [("article", phrase.pk)]
    assert {pk for _, pk in found(api_client, "format", type="article")} == {phrase.pk, apart.pk}
    assert found(api_client, "zangaz*", type="article") == [("article", prefix.pk)]
    assert found(api_client, "format -region", type="article") == [("article", apart.pk)]
    assert {pk for _, pk in found(api_client, "zangazur or region", type="article")} == {phrase.pk, prefix.pk}


def test_curated_synonyms_join_spellings_no_rule_could(api_client):
    """Zangezur finds Zangazur once the admin's synonym table says they are one, and not before."""
    article = ArticleFactory(body="The Zangazur corridor was discussed.")
    assert found(api_client, "Zangezur") == []
    SearchSynonym.objects.create(spellings="Zangezur\nZangazur", note="Both in the press.")
    assert found(api_client, "Zangezur") == [("article", article.pk)]


def test_a_misspelt_or_transliterated_name_finds_the_expert_and_their_quotes(api_client):
    lavrov = ExpertFactory(name="Sergei Lavrov", alternate_names=["Sergey Lavrov"])
    ExpertFactory(name="Sergey Markedonov")
    shahinoglu = ExpertFactory(name="Elkhan Shahinoglu", alternate_names=["Elhan Shainoglu"])
    ExpertFactory(name="Elkhan Other")
    quote = QuoteFactory(speaker=lavrov, text="Each side has its interests.")
    for spelling in ("Sergey Lavrov", "Sergei Lavrov", "Lavrof", "Лавров"):
        assert found(api_client, spelling)[:2] == [("expert", lavrov.pk), ("quote", quote.pk)], spelling
    for spelling in ("Elkhan Shahinoglu", "Elhan Shainoglu", "Shaginoglu"):
        assert found(api_client, spelling, type="expert") == [("expert", shahinoglu.pk)], spelling
    assert "<mark>Shahinoglu</mark>" in search(api_client, "Shaginoglu", type="expert")["results"][0]["snippet"]


def test_filters_narrow_each_kind_and_leave_out_kinds_they_do_not_apply_to(api_client):
    speaker, other = ExpertFactory(name="Rasim Musabekov"), ExpertFactory()
    visit = VisitFactory(title="Ceasefire visit", start_date=datetime.date(2020, 11, 21))
    VisitParticipantFactory(visit=visit, person=speaker)
    old = quoted_article((speaker, "The ceasefire holds."), published_date=datetime.date(2020, 11, 22), visits=[visit])
    new = quoted_article((other, "The ceasefire is fragile."), published_date=datetime.date(2023, 2, 27))
    everything = found(api_client, "ceasefire")
    assert len(everything) == 5  # two articles, two quotes, the visit
    by_speaker = found(api_client, "ceasefire", expert=speaker.pk)
    assert set(by_speaker) == {("article", old.pk), ("quote", old.quotes.get().pk), ("visit", visit.pk)}
    assert set(found(api_client, "ceasefire", outlet=new.outlet_id)) == {
        ("article", new.pk),
        ("quote", new.quotes.get().pk),
    }
    assert set(found(api_client, "ceasefire", date_after="2021-01-01")) == {
        ("article", new.pk),
        ("quote", new.quotes.get().pk),
    }
    assert set(found(api_client, "ceasefire", visit=visit.pk, type="article,quote")) == {
        ("article", old.pk),
        ("quote", old.quotes.get().pk),
    }


def test_pages_by_number_with_links(api_client):
    articles = [ArticleFactory(body=f"Peace talks, round {n}.") for n in range(5)]
    first = search(api_client, "peace", page_size=2)
    assert first["count"] == 5 and first["previous"] is None and len(first["results"]) == 2
    second = api_client.get(first["next"]).json()
    third = api_client.get(second["next"]).json()
    assert third["next"] is None and len(third["results"]) == 1
    seen = [hit["id"] for page in (first, second, third) for hit in page["results"]]
    assert sorted(seen) == sorted(article.pk for article in articles)
    assert api_client.get(third["previous"]).json() == second


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": ""}, "q"),
        ({"q": "the of"}, "q"),
        ({"q": "ab*"}, "q"),
        ({"q": "w " * 11}, "q"),
        ({"q": "x" * 301}, "q"),
        ({"q": "peace", "page": 100}, "page"),
        ({"q": "peace", "page_size": 0}, "page_size"),
        ({"q": "peace", "type": "bogus"}, "type"),
        ({"q": "peace", "expert": "x"}, "expert"),
        ({"q": "peace", "date_after": "yesterday"}, "date_after"),
        ({}, "q"),
    ],
)
def test_a_search_it_will_not_run_is_a_400_naming_the_parameter(api_client, params, field):
    response = api_client.get(SEARCH, params)
    assert response.status_code == 400 and field in response.json()


def test_an_edited_quote_is_found_by_its_new_words_at_once(curator_client):
    quote = QuoteFactory(text="We expect progress,")
    article = quote.article
    article.body = article.body + "\n\nPeace is near, he added."
    article.save()
    assert found(curator_client, "near", type="quote") == []
    response = curator_client.patch(reverse("quote-detail", args=[quote.pk]), {"text": "Peace is near"}, format="json")
    assert response.status_code == 200, response.json()
    assert found(curator_client, "near", type="quote") == [("quote", quote.pk)]
    assert found(curator_client, "expect", type="quote") == []


def test_a_bulk_import_is_searchable(api_client):
    """Rows written by import_corpus (COPY on PostgreSQL) get their search columns and vectors too."""
    import_bytes(generated_archive(articles=3))
    article, expert = Article.objects.first(), Expert.objects.exclude(quotes=None).first()
    word = max(article.title.split(), key=len)
    assert ("article", article.pk) in found(api_client, word, type="article")
    assert found(api_client, expert.name, type="expert")[0] == ("expert", expert.pk)


def test_every_searchable_list_uses_the_same_matching(api_client):
    """?search= on a list folds, finds names by any spelling and takes the same syntax, in the list's order."""
    shoigu = ExpertFactory(name="Sergey Shoigu", alternate_names=["Sergey Şoyqu"])
    visit = VisitFactory(title="Defence talks")
    VisitParticipantFactory(visit=visit, person=shoigu)
    quote = QuoteFactory(speaker=shoigu, text="We expect progress,")
    ArticleFactory(title="Shoigu in Yerevan")
    assert [e["id"] for e in api_client.get(reverse("expert-list"), {"search": "Soyqu"}).json()["results"]] == [
        shoigu.pk
    ]
    assert [v["id"] for v in api_client.get(reverse("visit-list"), {"search": "Shoygu"}).json()["results"]] == [
        visit.pk
    ]
    assert [q["id"] for q in api_client.get(reverse("quote-list"), {"search": "Şoyqu"}).json()["results"]] == [quote.pk]
    assert len(api_client.get(reverse("article-list"), {"search": '"Soyqu in"'}).json()["results"]) == 1
    assert api_client.get(reverse("article-list"), {"search": "ab*"}).status_code == 400


def test_the_schema_documents_search(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/search/"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert {"q", "type", "date_after", "date_before", "expert", "visit", "outlet", "page", "page_size"} <= set(
        parameters
    )
    assert parameters["q"]["required"] is True and parameters["q"]["schema"]["maxLength"] == 300


@pytest.mark.postgres
def test_ranking_puts_titles_and_repeated_words_first(api_client):
    """On PostgreSQL, a word in the title outranks one in the body, and more mentions outrank one."""
    once = ArticleFactory(title="Regional news", body="The corridor was mentioned once.")
    titled = ArticleFactory(title="The corridor question", body="Nothing else.")
    often = ArticleFactory(title="Regional news", body="Corridor here. The corridor there. A corridor everywhere.")
    assert found(api_client, "corridor", type="article") == [
        ("article", titled.pk),
        ("article", often.pk),
        ("article", once.pk),
    ]


@pytest.mark.postgres
def test_stemming_follows_the_articles_language(api_client):
    """English articles are stemmed in English (talks finds talking); others word for word."""
    english = ArticleFactory(body="They were talking for hours.", language="en")
    turkish = ArticleFactory(body="Görüşmeler uzun sürdü.", language="tr")
    russian = ArticleFactory(body="Переговоры talking продолжались.", language="ru")
    assert found(api_client, "talks", type="article") == [("article", english.pk)]
    assert found(api_client, "görüşme", type="article") == [("article", turkish.pk)]
    assert found(api_client, "peregovori", type="article") == [("article", russian.pk)]


@pytest.mark.postgres
def test_search_reads_the_stored_vectors_through_their_indexes(django_db_blocker):
    """The vector is a generated column with a GIN index, and expert names have a trigram index."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename, indexdef FROM pg_indexes WHERE indexdef LIKE '%%gin%%'")
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT table_name FROM information_schema.columns "
            "WHERE column_name = 'search_vector' AND is_generated = 'ALWAYS'"
        )
        generated = {row[0] for row in cursor.fetchall()}
    assert generated == {"corpus_app_article", "corpus_app_quote", "corpus_app_expert", "corpus_app_visit"}
    assert {table for table, definition in indexes if "search_vector" in definition} == generated
    assert any("gin_trgm_ops" in definition for table, definition in indexes if table == "corpus_app_expert")


@pytest.mark.postgres
def test_a_phrase_of_common_words_reads_a_bounded_number_of_rows_and_says_so(api_client, monkeypatch):
    """A phrase is looked for among the first PHRASE_EXAMINED records holding its words; past that, the
    count is a floor."""
    from corpus_app.search import engine

    apart = [ArticleFactory(body=f"Grain went by rail; the corridor was closed ({n}).") for n in range(3)]
    phrase = ArticleFactory(body="The grain corridor reopened.")
    assert found(api_client, '"grain corridor"', type="article") == [("article", phrase.pk)]
    monkeypatch.setattr(engine, "PHRASE_EXAMINED", 2)
    answer = search(api_client, '"grain corridor"', type="article")
    assert answer["count_is_floor"] is True and answer["count"] <= 1
    assert {pk for _, pk in found(api_client, "grain corridor", type="article")} == {a.pk for a in [*apart, phrase]}


def test_check_corpus_fix_search_catches_up_with_a_write_around_the_application(api_client):
    from django.core.management import call_command

    quote = QuoteFactory(text="We expect progress,")
    Quote.objects.filter(pk=quote.pk).update(search_head="")  # as a raw write or an old dump would leave it
    assert found(api_client, "progress", type="quote") == []
    out = io.StringIO()
    call_command("check_corpus", "--fix-search", stdout=out, stderr=io.StringIO())
    assert "1 corpus_app.Quote" in out.getvalue()
    assert found(api_client, "progress", type="quote") == [("quote", quote.pk)]
    assert Quote.objects.get(pk=quote.pk).version == quote.version  # not an edit: no new version


def test_check_corpus_fix_search_moves_the_change_stamp(django_capture_on_commit_callbacks):
    """What a search matches changed: tags and cached facets named by the old stamp must not be served."""
    from django.core.management import call_command

    from corpus_app.changes import current_stamp

    with django_capture_on_commit_callbacks(execute=True):
        quote = QuoteFactory(text="We expect progress,")
    Quote.objects.filter(pk=quote.pk).update(search_head="")
    before = current_stamp().token
    with django_capture_on_commit_callbacks(execute=True):
        call_command("check_corpus", "--fix-search", stdout=io.StringIO(), stderr=io.StringIO())
    assert current_stamp().token != before


def test_an_unchanged_search_answers_304_to_the_tag_it_gave(api_client):
    ArticleFactory(body="Peace talks.")
    first = api_client.get(SEARCH, {"q": "peace"})
    again = api_client.get(SEARCH, {"q": "peace"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert api_client.get(SEARCH, {"q": "talks"}, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_a_list_search_gives_the_same_rows_whether_it_sorts_few_or_walks_many(api_client, monkeypatch):
    """A list finds a few matches first and sorts them; many, it walks its order for: the rows are the same."""
    from corpus_app.search import engine

    lavrov = ExpertFactory(name="Sergei Lavrov")
    quotes = [QuoteFactory(speaker=lavrov) for _ in range(3)] + [QuoteFactory(text="Lavrov will come.")]
    QuoteFactory(text="Nothing else.")
    url = reverse("quote-list")

    def listed():
        return [quote["id"] for quote in api_client.get(url, {"search": "Lavrof", "page_size": 2}).json()["results"]]

    few = listed()
    monkeypatch.setattr(engine, "FEW_TO_SORT", 1)
    assert listed() == few and len(few) == 2
    everything = api_client.get(url, {"search": "Lavrov", "count": "true"}).json()
    assert everything["count"] == 4 and {q["id"] for q in everything["results"]} == {q.pk for q in quotes}


def test_records_found_by_a_name_still_obey_the_other_words_and_the_exclusions(api_client):
    """A person's quotes and visits come with their name, misspelt or not, but "-Baku" still leaves out
    those that say Baku, and a word too short to be part of a name ("UN") must still be in the text."""
    lavrov = ExpertFactory(name="Sergei Lavrov")
    in_baku, in_moscow = VisitFactory(title="Talks in Baku"), VisitFactory(title="Talks in Moscow")
    for visit in (in_baku, in_moscow):
        VisitParticipantFactory(visit=visit, person=lavrov)
    on_un = QuoteFactory(speaker=lavrov, text="The UN has a role,")
    elsewhere = QuoteFactory(speaker=lavrov, text="Baku and Moscow agree,")
    assert ("visit", in_moscow.pk) in found(api_client, "Lavrof -Baku")
    assert not {("visit", in_baku.pk), ("quote", elsewhere.pk)} & set(found(api_client, "Lavrof -Baku"))
    assert set(found(api_client, "Lavrof UN", type="quote,visit")) == {("quote", on_un.pk)}
    listed = api_client.get(reverse("visit-list"), {"search": "Lavrov -Baku"}).json()["results"]
    assert [visit["id"] for visit in listed] == [in_moscow.pk]
    listed = api_client.get(reverse("quote-list"), {"search": "Lavrov UN"}).json()["results"]
    assert [quote["id"] for quote in listed] == [on_un.pk]


def test_a_decomposed_accent_is_the_same_letter_as_a_precomposed_one(api_client):
    """Text stored or typed in NFD (a letter, then its combining mark) holds the same words as NFC."""
    decomposed = ArticleFactory(body="Mo\u0308vlud C\u0327avus\u0327og\u0306lu spoke.")
    precomposed = ArticleFactory(body="La\u0301vrov answered.")
    assert found(api_client, "Çavuşoğlu", type="article") == [("article", decomposed.pk)]
    assert found(api_client, "Mövlud", type="article") == [("article", decomposed.pk)]
    assert found(api_client, "La\u0301vrov", type="article") == [("article", precomposed.pk)]
    assert "<mark>C\u0327avus\u0327og\u0306lu</mark>" in search(api_client, "Çavuşoğlu")["results"][0]["snippet"]


@pytest.mark.postgres
def test_a_full_name_finds_its_person_among_many_who_share_one_of_its_words(api_client, monkeypatch):
    """The index's candidates must be near every word of the name: people sharing only the first name
    (more of them than candidates are read) do not crowd the right person out."""
    from corpus_app.search import backends

    for surname in ("Mammadov", "Huseynov", "Hasanov"):
        ExpertFactory(name=f"Elkhan {surname}")
    shahinoglu = ExpertFactory(name="Elkhan Shahinoglu")
    monkeypatch.setattr(backends, "NAME_CANDIDATES", 2)
    assert found(api_client, "Elkhan Shaginoglu", type="expert") == [("expert", shahinoglu.pk)]


def test_a_phrase_ending_or_starting_in_common_words_matches_alike_on_both_databases(api_client):
    """PostgreSQL leaves a phrase's stop words out ("visit to the" is "visit"); SQLite matches the same."""
    article = ArticleFactory(body="His visit lasted two days. Lavrov's talks followed.")
    ArticleFactory(body="Nothing of note.")
    assert found(api_client, '"visit to the"', type="article") == [("article", article.pk)]
    assert found(api_client, '"the talks"', type="article") == [("article", article.pk)]
    assert found(api_client, "Lavrov's", type="article") == [("article", article.pk)]
