"""
Direct quotations in an article body, whatever its marks and however carelessly they are set.

The press mixes “ ” « » „ " ‘ ’, opens a quotation it never closes, closes one it never opened
(a copy that lost its opening mark), runs one over paragraphs (each opening again, or only the last
closing) and sets stray marks inside one. A scan over the whole body keeps one state: outside, in a
quotation, or in a quotation inside it. Straight marks (") are told apart by what stands around them;
a weak close inside a quotation (a mark neither after punctuation nor before it) opens an inner one,
which is how `say" Yes "or" no ", there` stays one quotation.

Not every quoted run is a statement: scare quotes ("peacekeeping"), names of documents ("Declaration
on Allied Cooperation") and phrases embedded in a sentence (the "price for the good of the service")
are left out by `is_statement`.
"""

import re
from dataclasses import dataclass

OPENERS = "“„«‹"
CLOSERS = "”»›"
STRAIGHT = '"'
SINGLE_OPEN, SINGLE_CLOSE = "‘", "’"
SPACE_OR_OPEN = set(" \t\n([{—–-/")
CLOSING_PUNCTUATION = set(",.;:!?)]…—–-")
MIN_WORDS = 4
# Verbs that introduce a quotation directly: `he said "…"`, `stressed: "…"`.
SPEECH_VERBS = {
    "said", "says", "say", "stated", "states", "stressed", "stresses", "noted", "notes", "added", "adds",
    "told", "tells", "wrote", "writes", "declared", "declares", "explained", "explains", "emphasized",
    "emphasised", "emphasizes", "underlined", "recalled", "recalls", "asked", "asks", "replied", "answered",
    "insisted", "warned", "argued", "argues", "believes", "believed", "thinks", "claimed", "claims",
    "concluded", "continued", "remarked", "commented", "posted", "tweeted", "announced", "confirmed",
    "observed", "pointed", "suggested", "suggests", "admitted", "according", "quoted", "cited", "saying",
    # The commonest in French, German and Russian copy.
    "déclaré", "dit", "affirmé", "estime", "sagte", "erklärte", "betonte", "meint", "заявил", "заявила", "сказал",
    "сказала", "отметил", "отметила", "считает",
}  # fmt: skip
SENTENCE_END = re.compile(r"(?<!\b[A-ZÀ-ÖØ-ÞĀ-Ž]\.)(?<=[.!?…])[\"”»’]?\s+(?=[\"“«„‘(]?[A-ZÀ-ÖØ-ÞĀ-Ž0-9])")


@dataclass
class Quotation:
    start: int  # the words' span in the body, marks excluded
    end: int
    opened: bool
    closed: bool
    text: str = ""
    answer: bool = False  # an interviewee's answer in a Q&A interview, set without quotation marks

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass
class _Mark:
    at: int
    char: str
    role: str  # "open", "close", "either"
    strong: bool  # a close that punctuation stands beside: certainly a close


def _classify(body: str, at: int) -> _Mark | None:
    char = body[at]
    before = body[at - 1] if at > 0 else "\n"
    after = body[at + 1] if at + 1 < len(body) else "\n"
    next_visible = body[at + 1 :].lstrip(" \t")[:1] or "\n"
    before_visible = body[:at].rstrip(" \t")[-1:] or "\n"
    strong = next_visible in CLOSING_PUNCTUATION or next_visible == "\n" or before_visible in ",.!?;…"
    if char in "«„":
        return _Mark(at, char, "open", True)  # never a close; French sets a space after «
    if char in OPENERS:
        # An opening mark is followed by the words it opens. “ followed by a space, punctuation or the
        # paragraph's end closes: German („…“) closes with it, and copy typed with the wrong key (“ for ”).
        closes = after in " \t\n\u00a0" or (after in CLOSING_PUNCTUATION and before not in SPACE_OR_OPEN)
        return _Mark(at, char, "close" if closes else "open", True)
    if char in CLOSERS:
        return _Mark(at, char, "close", True)
    if char == STRAIGHT:
        if after in CLOSING_PUNCTUATION or after == "\n" or (before not in SPACE_OR_OPEN and after in " \t"):
            return _Mark(at, char, "close", strong)
        if before in SPACE_OR_OPEN and after not in " \t":
            return _Mark(at, char, "open", strong)
        return _Mark(at, char, "either", strong)
    if char == SINGLE_OPEN and before in SPACE_OR_OPEN and after.isalnum():
        return _Mark(at, char, "single-open", False)
    if char == SINGLE_CLOSE and not after.isalnum():
        return _Mark(at, char, "single-close", strong)
    return None


def _marks(body: str) -> list[_Mark]:
    marks = []
    for at, char in enumerate(body):
        if char in OPENERS or char in CLOSERS or char in (STRAIGHT, SINGLE_OPEN, SINGLE_CLOSE):
            mark = _classify(body, at)
            if mark:
                marks.append(mark)
    return marks


def paragraph_bounds(body: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for match in re.finditer(r"\n\s*\n", body):
        bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(body)))
    return bounds


QUESTION = re.compile(r"^(?:Q|Question|Вопрос|Frage)\s*[:.—–-]\s*", re.IGNORECASE)
ANSWER = re.compile(r"^(?:A|Answer|Ответ|Antwort)\s*[:.—–-]\s*", re.IGNORECASE)


def find(body: str) -> list[Quotation]:
    """Every quotation in `body`, statements or not, in reading order: marked ones and interview answers.

    A quotation inside an answer is the interviewee citing someone: the answer is the statement.
    """
    bounds = paragraph_bounds(body)
    answers = interview_answers(body, bounds)
    marked = [q for q in _marked(body, bounds) if not any(a.start <= q.start < a.end for a in answers)]
    return sorted(marked + answers, key=lambda q: q.start)


def interview_answers(body: str, bounds: list[tuple[int, int]]) -> list[Quotation]:
    """The answers of a Q&A interview ("Q: …" then "A: …"), each running until the next question.

    Only where the page has both: a paragraph opening "A." alone is as likely a list or an initial.
    """
    kinds = []
    for start, end in bounds:
        paragraph = body[start:end]
        kinds.append("q" if QUESTION.match(paragraph) else "a" if ANSWER.match(paragraph) else "")
    if "q" not in kinds or "a" not in kinds:
        return []
    answers: list[Quotation] = []
    for index, kind in enumerate(kinds):
        if kind != "a":
            continue
        start = bounds[index][0] + ANSWER.match(body[bounds[index][0] : bounds[index][1]]).end()
        last = index
        while last + 1 < len(kinds) and not kinds[last + 1] and _is_prose(body[slice(*bounds[last + 1])]):
            last += 1  # an answer of several paragraphs
        end = bounds[last][1]
        answers.append(Quotation(start, end, True, True, _words(body[start:end]), answer=True))
    return [a for a in answers if a.text]


def _is_prose(paragraph: str) -> bool:
    """A paragraph that goes on an answer: a sentence, not a closing line or a heading."""
    return len(paragraph.split()) >= 8 and bool(re.search(r"[.!?…]$", paragraph.strip()))


def _marked(body: str, bounds: list[tuple[int, int]]) -> list[Quotation]:
    """The quotations set in quotation marks."""
    by_paragraph: list[list[_Mark]] = [[] for _ in bounds]
    index = 0
    for mark in _marks(body):
        while mark.at > bounds[index][1]:
            index += 1
        by_paragraph[index].append(mark)
    found: list[Quotation] = []
    level, start, single = 0, 0, False
    for index, (p_start, p_end) in enumerate(bounds):
        marks = by_paragraph[index]
        for position, mark in enumerate(marks):
            following = marks[position + 1] if position + 1 < len(marks) else None
            if level == 0:
                if mark.role in ("open", "either"):
                    level, start, single = 1, mark.at + 1, False
                elif mark.role == "single-open":
                    level, start, single = 1, mark.at + 1, True
                elif mark.role == "close":
                    found.append(_closing_only(body, p_start, mark.at))
            elif single:
                if mark.role == "single-close":
                    found.append(Quotation(start, mark.at, True, True))
                    level = 0
            elif mark.role in ("single-open", "single-close"):
                continue
            elif level == 2:
                level = 1
            elif mark.role in ("open", "either") and start < p_start and mark.at - p_start <= 1:
                continue  # the paragraph re-opens the quotation that runs on from the last one
            elif mark.char == STRAIGHT and not mark.strong and _inner_follows(body, mark, following):
                level = 2  # `say" Yes "or` : marks inside the quotation, not its end
            elif mark.role == "open" and mark.char != STRAIGHT:
                level = 2
            else:
                found.append(Quotation(start, mark.at, True, True))
                level = 0
        if level and single:
            level = 0  # an unclosed single mark is an apostrophe more often than a quotation
        elif level and not _continues(bounds, by_paragraph, index + 1):
            found.append(Quotation(start, p_end, True, False))
            level = 0
    for quotation in found:
        quotation.text = _words(body[quotation.start : quotation.end])
    return [q for q in found if q.text]


def _inner_follows(body: str, mark: _Mark, following: _Mark | None) -> bool:
    return following is not None and following.char == STRAIGHT and len(body[mark.at + 1 : following.at].split()) <= 3


def _continues(bounds, by_paragraph, index: int) -> bool:
    """Whether a quotation open at a paragraph's end goes on into the next: that paragraph opens again
    (the usual convention) or closes before it opens anything (a copy that kept only the last mark)."""
    if index >= len(bounds):
        return False
    real = [mark for mark in by_paragraph[index] if mark.role not in ("single-open", "single-close")]
    if not real:
        return False
    first = real[0]
    if first.role == "open" or first.role == "either":
        return first.at - bounds[index][0] <= 1
    return True


def _closing_only(body: str, paragraph_start: int, close_at: int) -> Quotation:
    """A closing mark nothing opened: the words are the sentence before it, the ones before that being,
    as in copy that lost its opening mark, reported speech; a lead-in up to a colon is not the words."""
    before = body[paragraph_start:close_at]
    # Split leniently: copy that lost a mark has often lost a capital too ("Caucasus. has started").
    sentences = re.split(r"(?<!\b[A-Z]\.)(?<=[.!?…])\s+", before.rstrip())
    last = sentences[-1] if sentences else before
    offset = paragraph_start + before.rfind(last)
    lead_in = re.match(r"^[^\"“:]{0,60}\b(?:" + "|".join(sorted(SPEECH_VERBS)) + r")\b[^:]{0,40}:\s*", last)
    if lead_in:
        offset += lead_in.end()
    return Quotation(offset, close_at, False, True)


def _words(text: str) -> str:
    text = text.strip().strip("\u00a0 ")
    return text.rstrip(",").rstrip()


# ------------------------------------------------------------------ statements or not
def _preceding_word(body: str, at: int) -> str:
    match = re.search(r"([^\W\d_][\w'’\-]*|[^\w\s])\s*$", body[max(0, at - 60) : at])
    return match.group(1) if match else ""


def is_statement(body: str, quotation: Quotation) -> bool:
    """Whether a quotation is someone's statement rather than a scare quote, a title or a phrase."""
    words = quotation.text.split()
    if len(words) < MIN_WORDS:
        return False
    if quotation.answer:
        return True
    if not quotation.opened:
        return True  # a closing mark alone is only ever set after a statement
    if _title_like(words) and not _attributed_after(body, quotation):
        return False  # German capitalises its nouns: a quotation someone "sagte" is a statement all the same
    before = _preceding_word(body, quotation.start - 1)
    embedded = bool(before) and before[0].isalnum() and before.lower() not in SPEECH_VERBS
    if embedded and not quotation.text[:1].isupper():
        return False
    if embedded and len(words) < 8 and not re.search(r"[.!?]$", quotation.text):
        return False
    return True


def _attributed_after(body: str, quotation: Quotation) -> bool:
    """`…," said X` / `…“, sagte X`: a verb of saying the first word after the closing mark."""
    after = body[quotation.end + 1 : quotation.end + 60]
    match = re.match(r"^[,\s—–-]*([^\W\d_]+)", after)
    return bool(match and quotation.closed and match.group(1).lower() in SPEECH_VERBS)


def _title_like(words: list[str]) -> bool:
    """A document's or event's name: most long words capitalised and no sentence inside."""
    long_words = [w for w in words if len(w.strip(",.;:()")) > 3]
    if not long_words:
        return False
    capitalised = sum(1 for w in long_words if w[:1].isupper())
    return capitalised / len(long_words) >= 0.6 and not re.search(r"[.!?]\s", " ".join(words))
