"""The rules search is built on, without a database: folding, the query syntax, names, snippets."""

import pytest

from corpus_app.search.folding import fold
from corpus_app.search.names import most_similar
from corpus_app.search.query import QueryError, parse
from corpus_app.search.snippets import Marker, snippet


@pytest.mark.parametrize(
    "spellings",
    [
        ["Aliyev", "Aliev", "Əliyev", "Алиев", "ALIYEV"],
        ["Shoigu", "Shoygu", "Şoyqu", "Soyqu", "Шойгу"],
        ["Sergey", "Sergei", "Сергей"],
        ["Elkhan", "Elhan", "Елхан"],
        ["Shahinoglu", "Şahinoğlu"],
        ["Garabagh", "Qarabağ"],
        ["Jabrayil", "Cəbrayıl"],
        ["Mammadyarov", "Məmmədyarov"],
        ["café", "cafe"],
    ],
)
def test_spellings_of_one_word_fold_alike(spellings):
    """Azerbaijani, Turkish and Russian romanisations, diacritics and case fold to one spelling."""
    assert len({fold(spelling) for spelling in spellings}) == 1


def test_folding_keeps_words_apart_and_function_words_whole():
    """Punctuation separates words, and English function words stay recognisable to the stop list."""
    assert fold("the 3+3 format") == "the 3 3 format"
    assert fold("They said: «Nagorno-Karabakh»") == "they said nagorno karabah"
    assert fold("Shoigu") != fold("Shogun")


def test_the_query_syntax():
    """Words are all required, quotes make a phrase, `or` joins alternatives, `-` excludes, `*` is a prefix."""
    query = parse('"3+3 format" Lavrov or Shoigu -Putin zang*')
    assert query.as_tsquery() == "('3' <-> '3' <-> 'format') & ('lavrov' | 'soigu') & !('putin') & ('zang':*)"
    assert query.as_fts5() == '("3 3 format") AND ("lavrov" OR "soigu") AND ("zang"*) NOT ("putin")'


def test_synonyms_widen_a_term_to_its_group():
    query = parse("Zangezur corridor", {"zangezur": ("zangazur", "zangezur"), "zangazur": ("zangazur", "zangezur")})
    assert query.as_tsquery() == "('zangezur' | 'zangazur') & ('coridor')"  # doubled letters fold to one


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("the of and", "Nothing to search for"),
        ("-Putin", "Nothing to search for"),
        ("ab*", "at least 3 letters"),
        ("w " * 11, "at most 10 terms"),
        ("x" * 301, "at most 300 characters"),
        ("nul\x00", "NUL"),
    ],
)
def test_queries_the_corpus_will_not_run(text, complaint):
    with pytest.raises(QueryError, match=complaint):
        parse(text)


def test_a_misspelt_name_finds_its_person_and_not_a_namesake():
    """Every word of the query must be near a word of the person's names; a longer word is not a short one."""
    names = ["Sergei Lavrov", "Sergey Markedonov", "Elkhan Shahinoglu Elhan Shainoglu", "Elkhan Other", "Kara McDonald"]
    experts = [(pk, fold(name)) for pk, name in enumerate(names, start=1)]
    assert [pk for pk, _ in most_similar(["lavrof"], experts, 5)] == [1]
    assert [pk for pk, _ in most_similar(fold("Sergey Lavrov").split(), experts, 5)] == [1]
    assert [pk for pk, _ in most_similar([fold("Shaginoglu")], experts, 5)] == [3]
    assert [pk for pk, _ in most_similar(fold("Elhan Shainoglu").split(), experts, 5)] == [3]
    assert most_similar([fold("Karabakh")], experts, 5) == []


def test_a_snippet_marks_the_matched_words_in_any_spelling_and_escapes_the_rest():
    text = (
        "<b>Bold</b> claims. " * 30
        + "Minister Şoyqu met the delegations; the defence ministry confirmed. "
        + "Filler. " * 40
    )
    marked = snippet(text, Marker(parse("Shoigu delegation").highlight_terms(), "english"))
    assert "<mark>Şoyqu</mark>" in marked and "<mark>delegations</mark>" in marked
    assert "<b>" not in marked and marked.startswith("… ") and marked.endswith(" …")
    assert len(marked) < 400
