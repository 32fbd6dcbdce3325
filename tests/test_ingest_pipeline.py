"""The ingest pipeline on articles it was not built from: every mark style, every way of attributing.

Pure: a Directory built here stands for the corpus, nothing touches the database.
"""

import datetime

import pytest

from corpus_app.ingest import pipeline
from corpus_app.ingest.directory import Directory, KnownOutlet, KnownPerson, KnownVisit

SHAHINOGLU = KnownPerson(
    "elkhan-shahinoglu", "Elkhan Shahinoglu", ("Elkhan Shahinoglu", "Elhan Shahinoglu"), "political scientist",
    "Atlas Research Center", 7,
)  # fmt: skip
KNOWN = Directory(people=[SHAHINOGLU])


def suggestions(text: str, directory: Directory = KNOWN) -> list[dict]:
    return [s.as_dict() for s in pipeline.from_text(text, directory=directory).suggestions]


def speaker_name(suggestion: dict) -> str | None:
    return suggestion["speaker"]["name"] if suggestion["speaker"] else None


ATTRIBUTED = [
    (
        "said X after the quote, with a role in apposition",
        'Lavrov to visit Baku next week\n\n"The visit will focus on the peace treaty and on transport links across '
        'the region," said Farid Mammadov, a political analyst at the Baku Policy Institute.',
        "The visit will focus on the peace treaty and on transport links across the region",
        "Farid Mammadov",
    ),
    (
        "according to X",
        "Analysts weigh the trip\n\nAccording to Rasim Musabayov, a member of the Milli Majlis, “the Kremlin needs "
        "Azerbaijan more than ever before.”",
        "the Kremlin needs Azerbaijan more than ever before.",
        "Rasim Musabayov",
    ),
    (
        "German marks „…“ and sagte",
        "Lawrow in Baku\n\n„Russland braucht neue Partner im Südkaukasus“, sagte der Politologe Andreas Umland.",
        "Russland braucht neue Partner im Südkaukasus",
        "Andreas Umland",
    ),
    (
        "British single marks after said:",
        "The minister's trip\n\nZaur Shiriyev, an analyst at the International Crisis Group, said: ‘Baku is playing "
        "a careful game with both Moscow and the West.’",
        "Baku is playing a careful game with both Moscow and the West.",
        "Zaur Shiriyev",
    ),
    (
        "X told Turan that, the quotation running over paragraphs that each open again",
        'A long statement\n\nPolitical scientist Tofig Abbasov told Turan that "Russia is trying to draw Azerbaijan '
        'into its orbit.\n\n"The West, on the other hand, is busy with Ukraine.\n\n"In this situation Baku must rely '
        'on itself."',
        "Russia is trying to draw Azerbaijan into its orbit.",
        "Tofig Abbasov",
    ),
    (
        "the expert noted, after a named person",
        'Expert view\n\nThe political expert Ilgar Velizade spoke to our correspondent on Monday. "Nobody should '
        'expect a breakthrough from this visit," the expert noted.',
        "Nobody should expect a breakthrough from this visit",
        "Ilgar Velizade",
    ),
    (
        "he said, after a named person",
        "Talks ahead\n\nMammadov added that the talks would be difficult for Farid Mammadov's colleagues. Farid "
        'Mammadov is an economist. "Moscow wants to keep its influence in the South Caucasus," he said.',
        "Moscow wants to keep its influence in the South Caucasus",
        "Farid Mammadov",
    ),
    (
        "guillemets with French spacing",
        "Une visite\n\nThomas Waal, chercheur, a déclaré : « Cette visite montre que Moscou cherche un nouvel "
        "équilibre dans la région. »",
        "Cette visite montre que Moscou cherche un nouvel équilibre dans la région.",
        "Thomas Waal",
    ),
]


@pytest.mark.parametrize(("case", "text", "quote", "speaker"), ATTRIBUTED, ids=[case[0] for case in ATTRIBUTED])
def test_a_quotation_is_proposed_with_its_speaker(case, text, quote, speaker):
    found = suggestions(text)
    assert [s["text"] for s in found][:1] == [quote] or quote in [s["text"][: len(quote)] for s in found]
    suggestion = next(s for s in found if s["text"].startswith(quote))
    assert speaker_name(suggestion) == speaker
    assert 0 < suggestion["confidence"] <= 1
    assert quote[:30] in suggestion["context"]


def test_a_new_speaker_is_proposed_with_the_role_and_affiliation_the_article_gives():
    (suggestion,) = suggestions(ATTRIBUTED[0][1], Directory.empty())
    assert suggestion["speaker"] == {
        "id": None,
        "name": "Farid Mammadov",
        "role": "political analyst at the Baku Policy Institute",
        "affiliation": "Baku Policy Institute",
        "kind": "analyst",
        "new": True,
    }


def test_a_quotation_over_several_paragraphs_is_one_suggestion():
    (suggestion,) = suggestions(ATTRIBUTED[4][1])
    assert suggestion["text"].startswith("Russia is trying")
    assert suggestion["text"].endswith("Baku must rely on itself.")
    assert "busy with Ukraine" in suggestion["text"]


def test_headed_lines_name_their_speakers_and_a_known_expert_is_matched_by_another_spelling():
    text = (
        'Experts on the visit\n\nElhan Şahinoğlu: "Russia cannot afford to lose Azerbaijan as a partner in the '
        'region."\n\nIlham Ismayil: "The visit will not change the balance of power in the Caucasus."'
    )
    first, second = suggestions(text)
    assert first["speaker"] == {"id": 7, "slug": "elkhan-shahinoglu", "name": "Elkhan Shahinoglu", "new": False}
    assert (speaker_name(second), second["speaker"]["new"]) == ("Ilham Ismayil", True)


def test_interview_answers_are_the_interviewees():
    text = (
        "Interview on the talks\n\nSergey Markov, a Russian political scientist, spoke to Example News.\n\n"
        "Q: Why is Lavrov going to Baku now?\n\nA: Because the situation in the region has changed, and Moscow "
        "must adapt to it quickly.\n\nQ: Will there be a treaty?\n\nA: I do not think a treaty will be signed "
        "this year, but the talks are a good sign."
    )
    found = suggestions(text, Directory.empty())
    assert [s["text"][:20] for s in found] == ["Because the situatio", "I do not think a tre"]
    assert {speaker_name(s) for s in found} == {"Sergey Markov"}
    assert found[0]["speaker"]["role"] == "political scientist"
    assert not any(s["text"].startswith("Why is Lavrov") for s in found)


def test_words_relayed_by_an_analyst_are_the_ministers():
    text = (
        "Analyst recalls the minister's words\n\nPolitical analyst Natig Jafarli recalled that Foreign Minister "
        'Jeyhun Bayramov had said: "Azerbaijan will never join any military bloc." Jafarli believes this still holds.'
    )
    (suggestion,) = suggestions(text, Directory.empty())
    assert speaker_name(suggestion) == "Jeyhun Bayramov"
    assert suggestion["relayed_by"]["name"] == "Natig Jafarli"


def test_a_quotation_that_lost_its_opening_mark_is_still_proposed():
    text = (
        "What the analyst said\n\nThe analyst Vugar Bayramov spoke on Tuesday. Azerbaijan and Russia have "
        "agreed on the agenda of the meeting in Baku.” Bayramov said."
    )
    (suggestion,) = suggestions(text, Directory.empty())
    assert suggestion["text"] == "Azerbaijan and Russia have agreed on the agenda of the meeting in Baku."
    assert speaker_name(suggestion) == "Vugar Bayramov"


def test_scare_quotes_titles_and_single_words_are_not_proposed():
    text = (
        'The "new normal" in the Caucasus\n\nThe so-called "3+3" format was discussed. The minister called it a '
        '"historic" step, and the "Foreign Policy Concept of the Russian Federation" was mentioned, as was the '
        "“Declaration on Allied Interaction”. Critics call it a “price for the good of the service”.\n\n"
        '"We will continue to work with our partners in good faith," Sergei Lavrov told reporters.'
    )
    assert [s["text"] for s in suggestions(text)] == ["We will continue to work with our partners in good faith"]


def test_html_of_the_paragraphs_and_its_text_give_the_same_suggestions():
    text = ATTRIBUTED[0][1] + "\n\n" + ATTRIBUTED[3][1].split("\n\n", 1)[1]
    paragraphs = text.split("\n\n")
    html = f"<h1>{paragraphs[0]}</h1>" + "".join(f"<p>{p}</p>" for p in paragraphs[1:])
    from_html = [s.as_dict() for s in pipeline.from_html(html, directory=KNOWN).suggestions]
    assert [(s["text"], speaker_name(s)) for s in from_html] == [
        (s["text"], speaker_name(s)) for s in suggestions(text)
    ]


def test_a_saved_page_loses_its_chrome_and_keeps_its_metadata():
    body = " ".join(["Foreign ministers met in Baku on Monday to discuss the peace agenda."] * 4)
    html = f"""<!doctype html><html lang="en"><head><title>Lavrov in Baku | Example News</title>
    <meta property="og:site_name" content="Example News">
    <meta name="author" content="Aysel Karimova">
    <meta property="article:published_time" content="2024-05-13T09:30:00+04:00">
    </head><body><nav><a href="/">Home</a> <a href="/politics">Politics</a> <a href="/economy">Economy</a></nav>
    <article><h1>Lavrov in Baku</h1><p>{body}</p>
    <p>"The visit will focus on the peace treaty and on transport links across the region," said Farid Mammadov,
    a political analyst.</p>
    <figure><img src="x.jpg"><figcaption>Photo: the ministers at the airport</figcaption></figure></article>
    <div class="share">Share on Facebook Share on Twitter</div>
    <footer>© 2024 Example News. All rights reserved.</footer>
    </body></html>"""
    directory = Directory(outlets=[KnownOutlet("example-news", "Example News", "https://example.com", 3)])
    draft = pipeline.from_html(html, url="https://example.com/lavrov", directory=directory)
    assert draft.meta.title == "Lavrov in Baku"
    assert draft.meta.author == "Aysel Karimova"
    assert (draft.meta.published_date, draft.meta.published_date_precision) == (datetime.date(2024, 5, 13), "day")
    assert draft.meta.language == "en"
    assert draft.outlet is not None and draft.outlet.pk == 3
    for chrome in ("Share on Facebook", "All rights reserved", "Economy", "Photo: the ministers"):
        assert chrome not in draft.body
    assert [speaker_name(s.as_dict()) for s in draft.suggestions] == ["Farid Mammadov"]


def test_pasted_text_loses_its_chrome_and_reads_its_dateline():
    text = (
        "Home | Politics | Economy | Society\nSearch\n\nLavrov arrives in Baku\n\n13 May 2024 [10:15]\n\n"
        'Russian Foreign Minister Sergei Lavrov arrived in Baku on Monday. "We came to talk about the future '
        'of the region with our neighbours," Lavrov said at the airport.\n\nShare\nFacebook\nTwitter\n\n'
        "Comments (0)\n\n© 2024 Example News"
    )
    draft = pipeline.from_text(text, directory=Directory.empty())
    assert draft.meta.title == "Lavrov arrives in Baku"
    assert (draft.meta.published_date, draft.meta.published_date_precision) == (datetime.date(2024, 5, 13), "day")
    assert draft.meta.published_time == datetime.time(10, 15)
    assert draft.body.startswith("Russian Foreign Minister Sergei Lavrov arrived")
    for chrome in ("Facebook", "Comments", "Search", "©"):
        assert chrome not in draft.body
    (suggestion,) = draft.suggestions
    assert speaker_name(suggestion.as_dict()) == "Sergei Lavrov"


def test_the_visit_the_article_covers_is_proposed():
    visit = KnownVisit(
        "lavrov-baku-2024", "Lavrov in Baku, May 2024", datetime.date(2024, 5, 13), "day",
        datetime.date(2024, 5, 14), "AZ", ("Baku", "Azerbaijan"), (), 11,
    )  # fmt: skip
    other = KnownVisit(
        "lavrov-yerevan-2019", "Lavrov in Yerevan", datetime.date(2019, 1, 10), "day", None, "AM",
        ("Yerevan", "Armenia"), (), 12,
    )  # fmt: skip
    title, body = ATTRIBUTED[0][1].split("\n\n", 1)
    text = f"{title}\n\n13 May 2024\n\n{body}"
    draft = pipeline.from_text(text, directory=Directory(visits=[other, visit]))
    assert [s.as_dict()["visit"] for s in draft.suggestions] == [
        {"id": 11, "slug": "lavrov-baku-2024", "title": "Lavrov in Baku, May 2024"}
    ]
