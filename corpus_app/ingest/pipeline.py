"""
The pipeline: a page in, a draft article and its suggested quotes out. Pure: it reads a Directory and
writes nothing; review.py saves what the curator accepts.
"""

import datetime
import re
from dataclasses import dataclass, field

from corpus_app import provenance
from corpus_app.models import limits

from . import cleaner, metadata, pages, quotations, visits
from .attribution import Attributor
from .directory import Directory, KnownOutlet, KnownVisit
from .people import PeopleIndex, Person, fold_name, kind_of_role, role_and_affiliation

CONTEXT_CHARS = 200
# Bounds on one page's work: attribution looks at every person named before each quotation, so a
# page of thousands of quotations would take minutes. No article has more than a few dozen; the
# first MAX_SUGGESTIONS are proposed, and a body longer than an article may be (limits.ARTICLE_BODY)
# is refused before it is read.
MAX_SUGGESTIONS = 200


@dataclass
class Suggestion:
    text: str
    speaker: Person | None
    relayed_by: Person | None
    confidence: float
    context: str
    visit: KnownVisit | None
    how: str
    position: int

    @property
    def digest(self) -> str:
        return provenance.quote_digest(self.text)

    def speaker_as_dict(self, person: Person | None) -> dict | None:
        if person is None:
            return None
        if person.known is not None:
            return {"id": person.known.pk, "slug": person.known.key, "name": person.known.name, "new": False}
        role, affiliation = role_and_affiliation(person)
        return {
            "id": None,
            "name": person.name,
            "role": role,
            "affiliation": affiliation,
            "kind": kind_of_role(role),
            "new": True,
        }

    def as_dict(self) -> dict:
        return {
            "text": self.text,
            "digest": self.digest,
            "speaker": self.speaker_as_dict(self.speaker),
            "relayed_by": self.speaker_as_dict(self.relayed_by),
            "confidence": self.confidence,
            "context": self.context,
            "visit": {"id": self.visit.pk, "slug": self.visit.key, "title": self.visit.title} if self.visit else None,
            "attributed_by": self.how,
        }


@dataclass
class Draft:
    meta: metadata.Metadata
    body: str
    outlet: KnownOutlet | None
    proposed_outlet: str
    suggestions: list[Suggestion] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def too_long(self) -> bool:
        """Longer than an article may be: it could not be saved, so it is not read for quotations."""
        return len(self.body) > limits.ARTICLE_BODY

    @property
    def problem(self) -> str:
        """Why this draft cannot become an article, for the curator; "" when it can."""
        if self.too_long:
            return f"The article's text is longer than {limits.ARTICLE_BODY:,} characters, the most an article holds."
        return "" if self.body else "No article text was found in this page."

    @property
    def body_digest(self) -> str:
        return provenance.body_digest(self.body)


def from_text(text: str, *, url: str = "", directory: Directory) -> Draft:
    return _draft(cleaner.clean(text), url=url, directory=directory)


def from_html(html: str, *, url: str = "", directory: Directory) -> Draft:
    page = pages.from_html(html, url=url)
    cleaned = cleaner.clean(page.text)
    if page.title and cleaned.body and cleaned.body[0] == page.title:
        cleaned.body.pop(0)
    draft = _draft(cleaned, url=url or page.url, directory=directory, sitename=page.sitename)
    meta = draft.meta
    meta.title = meta.title or page.title
    meta.author = meta.author or page.author
    if page.date and meta.published_date is None:
        found = metadata.find_date(page.date)
        if found:
            meta.published_date, meta.published_date_precision = found.date, found.precision
    return draft


# A saved page opens with a doctype or a tag; copied text with words.
_LOOKS_LIKE_HTML = re.compile(
    r"^\s*(?:<!doctype html|<html|<head|<body|<meta|<div|<article|<p[\s>]|<!--)", re.IGNORECASE
)


def is_html(content: str) -> bool:
    return bool(_LOOKS_LIKE_HTML.match(content[:2000]))


def from_content(content: str, *, url: str = "", directory: Directory, html: bool | None = None) -> Draft:
    """A draft of a page that is HTML or plain text; by its first characters unless `html` says."""
    return (from_html if (is_html(content) if html is None else html) else from_text)(
        content, url=url, directory=directory
    )


def _draft(cleaned: cleaner.CleanedPage, *, url: str, directory: Directory, sitename: str = "") -> Draft:
    meta = metadata.read(cleaned, url=url)
    if sitename:
        meta.outlet_names.append(sitename)
    body = cleaned.body_text
    meta.language = _language_of(body) if body else ""
    outlet, proposed = match_outlet(meta.outlet_names, directory)
    draft = Draft(meta, body, outlet, proposed, removed=cleaned.removed)
    if body and not draft.too_long:
        draft.suggestions = suggest(body, meta.published_date, directory)
    return draft


def _language_of(text: str) -> str:
    import py3langid  # loads its model on import: only when a page is read, not in every process

    return py3langid.classify(text)[0]


def match_outlet(names: list[str], directory: Directory) -> tuple[KnownOutlet | None, str]:
    """The known outlet the page names (by name or web address), else the name to propose."""

    def folded(name: str) -> str:
        return "".join(fold_name(name.removeprefix("www.")))

    for name in names:
        for outlet in directory.outlets:
            homepage = outlet.homepage.split("//")[-1].removeprefix("www.").rstrip("/")
            if folded(name) == folded(outlet.name) or (homepage and folded(name) == folded(homepage)):
                return outlet, ""
    return None, names[0] if names else ""


def suggest(body: str, published: datetime.date | None, directory: Directory) -> list[Suggestion]:
    people = PeopleIndex(directory)
    mentions = people.mentions(body)
    found = quotations.find(body)
    statements = [q for q in found if quotations.is_statement(body, q)][:MAX_SUGGESTIONS]
    attributor = Attributor(body, mentions, statements)
    bounds = quotations.paragraph_bounds(body)
    speakers_named = [m.person for m in attributor.outside]
    visit, visit_confidence = visits.propose(directory, body=body, published=published, people=speakers_named)
    suggestions = []
    for quotation in statements:
        p_start, p_end = next((s, e) for s, e in bounds if s <= quotation.start <= e)
        attribution = attributor.attribute(quotation, p_start, p_end)
        context_start = max(p_start, quotation.start - CONTEXT_CHARS)
        context_end = min(len(body), quotation.end + CONTEXT_CHARS)
        suggestions.append(
            Suggestion(
                text=quotation.text,
                speaker=attribution.speaker,
                relayed_by=attribution.relayed_by,
                confidence=round(attribution.confidence * (0.6 + 0.4 * min(1.0, quotation.words / 12)), 2),
                context=body[context_start:context_end],
                visit=visit,
                how=attribution.how,
                position=quotation.start,
            )
        )
    return suggestions
