"""Folding: one spelling for every way the press writes a word, computed in Python.

PostgreSQL's `unaccent` leaves Ə alone and knows nothing of Shoigu/Şoyqu or Aliyev/Aliev, and SQLite
folds the case of ASCII letters only. So the text a search reads is folded here, stored in each
record's search columns (models/search_text.py), and a query is folded by the same function: one rule
for both databases, and indexes over plain stored columns that never need rebuilding when the rule is
applied at query time.

A word folds in three steps:

1. Letters to ASCII. Cyrillic is romanised as the English-language press does (BGN/PCGN: Шойгу →
   shoigu, х → kh, ж → zh). A word with a letter only Turkic alphabets use (ə ğ ı ş) is read as
   Azerbaijani or Turkish: ə → a, ş → sh, ç → ch, ğ → gh, x → kh, c → j, q → g (Əliyev → aliyev,
   Şahinoğlu → shahinoghlu, Cəbrayıl → jabrail). Any other accent is dropped (é → e).
2. Romanisation variants collapse, in this order: kh → h, zh → j, sh → s, gh → g, q → g, iy → i,
   y → i, then doubled letters become one. Aliyev, Aliev, Əliyev and Алиев all fold to "aliev";
   Shoigu, Shoygu, Şoyqu and Soyqu to "soigu"; Sergey and Sergei to "sergei"; Elkhan and Elhan to
   "elhan"; Garabagh and Qarabağ to "garabag".
3. English function words (PostgreSQL's stop list) skip step 2, so that the database still
   recognises and drops them ("they" would otherwise become "thei").

Both sides of a match fold alike, so step 2 never hides an English word from a search for it;
it only lets unrelated spellings meet ("ship" and "sip"), which ranking sorts out. Differences the
rules do not cover (Karabakh/Garabagh, Zangezur/Zangazur) go in the curated synonym table
(models/synonym.py); misspelt names are left to trigram similarity (search/names.py).
"""

import re
import unicodedata
from functools import lru_cache

# A word: letters and digits (of any script), not the underscore, and combining marks among them: a
# text typed or stored decomposed (NFD: "C" + U+0327 for "Ç") holds the same words as one precomposed,
# and fold_word's NFKD drops the marks.
COMBINING_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
WORD_RE = re.compile(rf"(?:[^\W_]|[{COMBINING_MARKS}])+")

CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya",
    # Ukrainian, and Azerbaijani Cyrillic (used until 1991, still met in Russian-language sources).
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ә": "a", "ғ": "gh", "ҹ": "j", "һ": "h", "ј": "y", "ө": "o",
    "ү": "u", "ҝ": "g", "ҳ": "h",
}  # fmt: skip

# Letters that mark a word as Azerbaijani or Turkish, and how that word's letters are romanised.
TURKIC_MARKERS = frozenset("əğış")
TURKIC = {"ə": "a", "ş": "sh", "ç": "ch", "ğ": "gh", "ı": "i", "x": "kh", "c": "j", "q": "g", "ö": "o", "ü": "u"}
# Letters NFKD does not decompose into an ASCII letter and a mark.
LATIN_EXTRA = {"ə": "a", "ı": "i", "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ð": "d", "þ": "th", "ł": "l", "đ": "d"}

VARIANTS = (("kh", "h"), ("zh", "j"), ("sh", "s"), ("gh", "g"), ("q", "g"), ("iy", "i"), ("y", "i"))
_DOUBLED = re.compile(r"([a-z])\1+")
_NOT_ASCII_ALNUM = re.compile(r"[^a-z0-9]")

# PostgreSQL's english.stop (tsearch_data), which its 'english' configuration drops.
STOP_WORDS = frozenset(
    "i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers "
    "herself it its itself they them their theirs themselves what which who whom this that these those am is "
    "are was were be been being have has had having do does did doing a an the and but if or because as until "
    "while of at by for with about against between into through during before after above below to from up "
    "down in out on off over under again further then once here there when where why how all any both each few "
    "more most other some such no nor not only own same so than too very s t can will just don should now".split()
)


@lru_cache(maxsize=200_000)
def fold_word(word: str) -> str:
    """One word (a WORD_RE match) folded; "" if nothing of it survives (a lone soft sign)."""
    lowered = unicodedata.normalize("NFC", word).casefold()  # a decomposed ş is still a Turkic letter
    table = TURKIC if TURKIC_MARKERS.intersection(lowered) else LATIN_EXTRA
    letters = "".join(CYRILLIC.get(c) or table.get(c) or c for c in lowered)
    ascii_only = _NOT_ASCII_ALNUM.sub("", unicodedata.normalize("NFKD", letters))
    if ascii_only in STOP_WORDS:
        return ascii_only
    for spelling, folded in VARIANTS:
        ascii_only = ascii_only.replace(spelling, folded)
    return _DOUBLED.sub(r"\1", ascii_only)


def folded_words(text: str) -> list[str]:
    """The folded words of `text`, in order."""
    return [folded for word in WORD_RE.findall(text) if (folded := fold_word(word))]


def fold(text: str) -> str:
    """`text` as the search columns store it: its folded words separated by spaces."""
    return " ".join(folded_words(text))


def word_spans(text: str):
    """(start, end, folded word) for each word of `text`: where a snippet marks a match."""
    for match in WORD_RE.finditer(text):
        if folded := fold_word(match.group()):
            yield match.start(), match.end(), folded
