"""Highlighted snippets, built in Python for the hits of one page only.

PostgreSQL's ts_headline would re-read and re-parse every ranked document and knows nothing of
folding; here a word is marked when its folded, stemmed form (folding.py, languages.py) is one a
query term asked for, which is how the database matched it. The snippet is HTML: the text escaped,
each match in <mark></mark>.
"""

from django.utils.html import escape

from . import languages
from .folding import STOP_WORDS, word_spans
from .names import NAME_SIMILARITY, word_similarity
from .query import Term

SNIPPET_LENGTH = 240


class Marker:
    """Decides which words of a text the query matched, in one stemming configuration."""

    def __init__(self, terms: list[Term], config: str, names: list[str] = ()):
        self.config = config
        self.names = list(names)  # query words a person's name matched by similarity (search/names.py)
        self.words: set[str] = set()
        self.prefixes: set[str] = set()
        for term in terms:
            *whole, last = term.words
            self.words.update(self._stem(word) for word in whole if word not in STOP_WORDS)
            if term.prefix:
                self.prefixes.add(self._stem(last))
            elif last not in STOP_WORDS:
                self.words.add(self._stem(last))

    def _stem(self, word: str) -> str:
        return languages.stem(word, self.config)

    def matches(self, folded: str) -> bool:
        if folded in STOP_WORDS:
            return False
        stemmed = self._stem(folded)
        if stemmed in self.words or any(stemmed.startswith(prefix) for prefix in self.prefixes):
            return True
        return any(word_similarity(name, folded) >= NAME_SIMILARITY for name in self.names)


def snippet(text: str, marker: Marker, length: int = SNIPPET_LENGTH) -> str:
    """About `length` characters of `text` around its first run of matches, matches marked."""
    matches = [(start, end) for start, end, folded in word_spans(text) if marker.matches(folded)]
    if len(text) <= length:
        window_start, window_end = 0, len(text)
    else:
        first = matches[0][0] if matches else 0
        window_start = _word_start(text, max(0, first - length // 3))
        window_end = _word_end(text, min(len(text), window_start + length))
    parts, cursor = [], window_start
    for start, end in matches:
        if start < window_start or end > window_end:
            continue
        parts += [escape(text[cursor:start]), f"<mark>{escape(text[start:end])}</mark>"]
        cursor = end
    parts.append(escape(text[cursor:window_end]))
    body = " ".join("".join(parts).split())  # paragraphs and runs of white space as single spaces
    return ("… " if window_start > 0 else "") + body + (" …" if window_end < len(text) else "")


def _word_start(text: str, index: int) -> int:
    if index == 0:
        return 0
    space = text.find(" ", index)
    return index if space == -1 else space + 1


def _word_end(text: str, index: int) -> int:
    if index >= len(text):
        return len(text)
    space = text.rfind(" ", 0, index)
    return index if space <= 0 else space
