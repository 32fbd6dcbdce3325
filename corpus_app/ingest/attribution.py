"""
Whose words a quotation is: the attribution a reader would make from the sentences around it.

In the order a reader looks:
1. a line headed by a name (`Igor Korotchenko: "…"`);
2. the attribution after the closing mark (`," Verkhoturov said`, `" he explained`, `the deputy told Turan`);
3. the sentence that leads into it (`Musabekov ... posted the following: "`, `According to Lavrov,`);
4. the paragraph before it (`X told Turan that ... . The European Union ... “`);
5. the person the passage is about (its focus): the last person introduced with a role or as the
   subject of a verb of saying, which is whom "he", "according to him", "the expert" and a paragraph
   that is all quotation refer to.
A pronoun or a role ("the Russian foreign minister") is resolved against the people named so far: the
last one the article described with that role, else the focus. Words relayed from someone else
("Shainoglu ... emphasizes Lavrov's statement ... “…,” he said") are the words of the one whose
statement it is; the one relaying them is kept as `relayed_by`.
"""

import re
from dataclasses import dataclass

from .people import ROLE_HEADS, Mention, Person
from .quotations import SPEECH_VERBS, Quotation

SAYING = SPEECH_VERBS | {"opinion", "view", "pointed", "touched", "voiced", "spoke", "speaking", "interview"}
SAYING_RE = r"(?:" + "|".join(sorted(SAYING, key=len, reverse=True)) + r")"
PRONOUN_SAYING = re.compile(
    r"\b(?:(?:he|she)\s+(?:also\s+)?" + SAYING_RE + r"|" + SAYING_RE + r"\s+(?:he|she)|according to (?:him|her)|"
    r"in (?:his|her) (?:view|opinion|words)|(?:he|she) (?:also )?(?:believes|thinks|says))\b",
    re.IGNORECASE,
)
ROLE_RE = re.compile(
    r"\b(?:the|this|that)\s+((?:[\w\-]+\s+){0,3}?(?:" + "|".join(re.escape(h) for h in ROLE_HEADS) + r"))\b",
    re.IGNORECASE,
)
RELAY_RE = re.compile(
    r"([^\W\d_][\w\-]*)(?:'s|’s)\s+(?:\w+\s+){0,2}?(?:statement|words|remarks|comments|message|quote|claim|assertion|"
    r"position|warning)\b",
    re.IGNORECASE,
)
ORGANISATION_SAYING = re.compile(
    r"\b(?:ministry|agency|office|service|department|committee|council|government|embassy|kremlin|press service|"
    r"spokesperson's office)\b[^.\"“”«»]{0,80}\b" + SAYING_RE + r"\b|\b(?:reported|stated|said|announced) by the "
    r"(?:[\w\-]+\s+){0,4}?(?:ministry|agency|office|service|department|government|embassy)\b",
    re.IGNORECASE,
)
SENTENCE_BREAK = re.compile(r"(?<!\b[A-ZÀ-ÖØ-ÞĀ-Ž]\.)(?<=[.!?…])[\"”»’]?\s+(?=[\"“«„‘]?[A-ZÀ-ÖØ-ÞĀ-Ž])")


@dataclass
class Attribution:
    speaker: Person | None
    relayed_by: Person | None
    confidence: float
    how: str  # which rule named the speaker, for the curator


class Attributor:
    def __init__(self, body: str, mentions: list[Mention], statements: list[Quotation]):
        self.body = body
        inside = [(q.start, q.end) for q in statements]
        self.outside = [m for m in mentions if not any(s <= m.start < e for s, e in inside)]
        self.statements = statements
        self._introduced: dict[int, int] = {}

    # ---------------------------------------------------------------- the passage's focus
    def _introduces(self, mention: Mention) -> int:
        """2 for the subject of a verb of saying ("X told", "according to X", "said X"), 1 for a person
        introduced with a role ("political analyst X"), 0 for a mere mention. Read once per mention:
        every quotation's focus asks it of all the mentions before it."""
        known = self._introduced.get(mention.start)
        if known is None:
            known = self._introduced[mention.start] = self._read_introduction(mention)
        return known

    def _read_introduction(self, mention: Mention) -> int:
        if mention.possessive:
            return 0
        after = self.body[mention.end : mention.end + 200]
        after = re.sub(r"^\s*,[^,]{0,160},", "", after)  # an apposition: ", head of the Atlas Research Center,"
        after = re.sub(r"^\s*\([^)]{0,80}\)", "", after)
        if re.match(r"^\s*(?:\w+\s+){0,3}?" + SAYING_RE + r"\b", after, re.IGNORECASE):
            return 2
        before = self.body[max(0, mention.start - 80) : mention.start]
        if re.search(
            r"\b(?:according to|voiced by|said|says|quoted|cited)\s+(?:[\w\-,.]+\s+){0,8}$", before, re.IGNORECASE
        ):
            return 2
        descriptor = before[-40:].lower()
        return int(any(re.search(rf"\b{re.escape(head)}\s*,?\s*$", descriptor) for head in ROLE_HEADS))

    def focus_at(self, position: int) -> Person | None:
        focus = None
        for mention in self.outside:
            if mention.start >= position:
                break
            if self._introduces(mention):
                focus = mention.person
        if focus is None:
            earlier = [m for m in self.outside if m.start < position and not m.possessive]
            focus = earlier[-1].person if earlier else None
        return focus

    def _role(self, phrase: str, position: int) -> Person | None:
        phrase = phrase.lower()
        heads = [h for h in ROLE_HEADS if re.search(rf"\b{re.escape(h)}\b", phrase)]
        if not heads:
            return None
        words = set(phrase.split()) - {"the", "this", "that"}
        best, best_score = None, 0
        for mention in self.outside:
            if mention.start >= position:
                break
            role = mention.person.role_text()
            if not any(head in role for head in heads):
                continue
            score = sum(1 for w in words if w in role)
            if score >= best_score:
                best, best_score = mention.person, score
        return best

    # ---------------------------------------------------------------- one quotation
    def interviewee(self, position: int) -> Person | None:
        """Whom a Q&A interview's answers are from: the first person introduced before them (as the
        subject of saying or with a role), else the person its text names most."""
        before = [m for m in self.outside if m.start < position and not m.possessive]
        introduced = [m for m in before if self._introduces(m)]
        if introduced:
            return introduced[0].person
        counts: dict[int, tuple[int, Person]] = {}
        for mention in self.outside:
            seen = counts.get(id(mention.person), (0, mention.person))
            counts[id(mention.person)] = (seen[0] + 1, mention.person)
        return max(counts.values(), key=lambda pair: pair[0])[1] if counts else None

    def attribute(self, quotation: Quotation, paragraph_start: int, paragraph_end: int) -> Attribution:
        if quotation.answer:
            person = self.interviewee(quotation.start)
            return Attribution(person, None, 0.8 if person else 0.0, "interview answer")
        open_at = quotation.start - (1 if quotation.opened else 0)
        lead_paragraph = self.body[paragraph_start:open_at]
        sentences = SENTENCE_BREAK.split(lead_paragraph)
        lead_sentence = sentences[-1] if sentences else ""
        lead_sentence_start = paragraph_start + len(lead_paragraph) - len(lead_sentence)
        # A quotation that starts a sentence has no lead-in of its own: the sentence before is another one.
        starts_sentence = not quotation.opened or bool(re.search(r"[.!?…][\"”»’]?\s*$", lead_paragraph))
        lead = None if starts_sentence else self._lead(lead_sentence, lead_sentence_start, quotation, 0.85, "lead-in")
        # `X had said: "….” Y believes …`: a quotation its lead-in introduces, ending its sentence, is the
        # lead-in's; what follows it is another sentence.
        introduced = re.search(r"\b" + SAYING_RE + r"\s*[:,]?\s*$", lead_sentence, re.IGNORECASE)
        ends_sentence = re.search(r"[.!?…]$", quotation.text)
        found = (
            self._headed(lead_paragraph, paragraph_start)
            or (lead if lead and introduced and ends_sentence else None)
            or self._after(quotation, paragraph_end)
            or lead
            or self._lead(lead_paragraph, paragraph_start, quotation, 0.7, "paragraph", last_only=False)
        )
        if found is None and self._said_by_a_body(lead_sentence, quotation, paragraph_end):
            found = Attribution(None, None, 0.3, "organisation")
        if found is None:
            focus = self.focus_at(quotation.start)
            found = Attribution(focus, None, 0.5 if focus else 0.0, "focus")
        found = self._relayed(found, lead_paragraph[-400:], quotation.start)
        if not quotation.opened or not quotation.closed:
            found.confidence = round(found.confidence * 0.85, 2)
        return found

    def _said_by_a_body(self, lead_sentence: str, quotation: Quotation, paragraph_end: int) -> bool:
        """Words a ministry, an agency or a government said: no person to propose."""
        after = self.body[quotation.end + 1 : min(paragraph_end, quotation.end + 120)]
        return any(ORGANISATION_SAYING.search(text) for text in (lead_sentence, after))

    def _headed(self, lead_paragraph: str, paragraph_start: int) -> Attribution | None:
        match = re.fullmatch(r"\s*([^\W\d_][\w'’.\- ]{2,60}?)\s*[:—–-]\s*", lead_paragraph)
        if not match:
            return None
        for mention in self.outside:
            if paragraph_start <= mention.start < paragraph_start + match.end(1):
                return Attribution(mention.person, None, 0.9, "headed line")
        return None

    def _after(self, quotation: Quotation, paragraph_end: int) -> Attribution | None:
        if not quotation.closed:
            return None
        end = quotation.end + 1
        tail = self.body[end:paragraph_end]
        stop = re.search(r"[.!?…](?=\s|$)|[\"“”«»]", tail)
        tail = tail[: stop.start()] if stop else tail
        tail = tail[:160]
        if not re.search(r"\b" + SAYING_RE + r"\b", tail, re.IGNORECASE):
            return None
        for mention in self.outside:
            if end <= mention.start < end + len(tail) and not mention.possessive:
                return Attribution(mention.person, None, 0.95, "attribution after")
        if PRONOUN_SAYING.search(tail):
            focus = self.focus_at(quotation.start)
            return Attribution(focus, None, 0.75, "pronoun after") if focus else None
        if role := ROLE_RE.search(tail):
            person = self._role(role.group(1), quotation.start) or self.focus_at(quotation.start)
            return Attribution(person, None, 0.75, f"role after ({role.group(1)})") if person else None
        return None

    def _lead(self, text: str, offset: int, quotation: Quotation, confidence: float, how: str, *, last_only=True):
        if not text.strip():
            return None
        here = [m for m in self.outside if offset <= m.start < offset + len(text) and m.start < quotation.start]
        speakers = [m for m in here if self._introduces(m) == 2]
        if speakers:
            speaker = speakers[-1]
            # `Jafarli recalled that Minister Bayramov had said: "…"`: the words are the minister's, relayed.
            relaying = next(
                (
                    m.person
                    for m in reversed(speakers[:-1])
                    if m.person is not speaker.person
                    and re.search(r"\b(?:that|how)\b", self.body[m.end : speaker.start], re.IGNORECASE)
                ),
                None,
            )
            return Attribution(speaker.person, relaying, confidence if relaying is None else confidence - 0.05, how)
        introduced = [m for m in here if self._introduces(m) == 1]
        if PRONOUN_SAYING.search(text) and (focus := self.focus_at(quotation.start)):
            return Attribution(focus, None, confidence - 0.1, f"pronoun in {how}")
        role = next(reversed(list(ROLE_RE.finditer(text))), None)
        if role and re.search(r"\b" + SAYING_RE + r"\b", text, re.IGNORECASE):
            person = self._role(role.group(1), quotation.start) or self.focus_at(quotation.start)
            if person:
                return Attribution(person, None, confidence - 0.1, f"role in {how} ({role.group(1)})")
        if introduced:
            return Attribution(introduced[-1].person, None, confidence - 0.15, f"introduced in {how}")
        if last_only:
            named = [m for m in here if not m.possessive]
            if named:
                return Attribution(named[-1].person, None, confidence - 0.2, f"named in {how}")
        return None

    def _relayed(self, found: Attribution, lead: str, position: int) -> Attribution:
        """An analyst citing a minister: the words are the minister's."""
        if found.how.startswith(("attribution after", "headed")) and found.confidence >= 0.95:
            return found
        sentences = SENTENCE_BREAK.split(lead)
        near = " ".join(sentences[-2:])
        for match in RELAY_RE.finditer(near):
            for mention in self.outside:
                if (
                    mention.start < position
                    and mention.person.surname == match.group(1)
                    or (mention.person.name.split()[-1] == match.group(1) and mention.start < position)
                ):
                    if found.speaker is not None and mention.person is not found.speaker:
                        return Attribution(mention.person, found.speaker, round(found.confidence * 0.9, 2),
                                           f"relayed ({found.how})")  # fmt: skip
        return found
