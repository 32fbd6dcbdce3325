"""
Review: what the curator accepts from a draft is saved, what they reject is remembered.

The pipeline proposes; nothing reaches the corpus until a curator accepts it here. Accepting goes
through the models' own rules (full_clean, then save: provenance, versions, history), the same rules
as the admin's forms and the API's writes, in one transaction: an article and its accepted quotes
are saved together or not at all, so a refused quote never leaves half an article behind. The admin's
review page and POST /api/ingest/accept/ both call `accept`; `screen` keeps a re-ingested page from
proposing again what was already rejected or curated.
"""

import hashlib
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from corpus_app import provenance
from corpus_app.models import Article, Expert, Outlet, Quote, RejectedSuggestion, Visit
from corpus_app.search.folding import folded_words

from .people import fold_name
from .pipeline import Draft, Suggestion

ACCEPT_REASON = "Accepted from an ingested page"
# Reading a page drafts an article and its quotes: who may read one may add both (as accepting does).
INGEST_PERMISSIONS = ("corpus_app.add_article", "corpus_app.add_quote")
SLUG_ATTEMPTS = 50


# ------------------------------------------------------------------ screening a draft
@dataclass
class Screened:
    """A draft as the curator reviews it: the corpus's copy of the article, if it has one, and what was held back."""

    draft: Draft
    existing_article: Article | None
    skipped_rejected: int = 0
    skipped_curated: int = 0


TRACKING_PARAMETERS = re.compile(r"^(?:utm_\w+|fbclid|gclid|yclid|mc_cid|mc_eid|igshid|ref|ref_src)$", re.IGNORECASE)


def url_variants(url: str) -> list[str]:
    """The spellings of one page's address: http or https, with or without www., a trailing slash or
    not, without tracking parameters (utm_*, fbclid) and fragment. Each is an exact lookup in the
    unique index on the URL, so a page saved under another spelling is still found."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return [url] if url else []
    host = parts.netloc.lower().removeprefix("www.")
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAMETERS.match(k)]
    )
    path = parts.path.rstrip("/")
    variants = {url}
    for scheme in ("https", "http"):
        for netloc in (host, f"www.{host}"):
            for tail in (path, f"{path}/"):
                variants.add(urlunsplit((scheme, netloc, tail or "/", query, "")))
                if not path:
                    variants.add(urlunsplit((scheme, netloc, "", query, "")))
    return sorted(variants)


def find_existing_article(*, url: str, title: str, digest: str) -> Article | None:
    """The corpus's copy of this page: the article at its URL (in any spelling), else one with its title
    and the same body.

    By title because a body digest is not stored: the few articles sharing a headline are read and
    their bodies compared, which finds a page saved without its address.
    """
    if url:
        found = Article.objects.filter(url__in=url_variants(url)).first()
        if found is not None:
            return found
    if title:
        for candidate in Article.objects.filter(title=title).only("id", "body", "slug", "title")[:20]:
            if provenance.body_digest(candidate.body) == digest:
                return candidate
    return None


def screen(draft: Draft) -> Screened:
    """Hold back the suggestions a curator rejected for this page, and the quotes its article already has."""
    digest = draft.body_digest
    existing = find_existing_article(url=draft.meta.url, title=draft.meta.title, digest=digest)
    rejected = RejectedSuggestion.digests_for(urls=url_variants(draft.meta.url), body_digest=digest)
    # A curated quote the curator trimmed from a suggestion (or extended) still covers it.
    curated = (
        [provenance.normalise_for_matching(text) for text in existing.quotes.values_list("text", flat=True)]
        if existing
        else []
    )
    kept: list[Suggestion] = []
    screened = Screened(draft, existing)
    for suggestion in draft.suggestions:
        words = provenance.normalise_for_matching(suggestion.text)
        if suggestion.digest in rejected:
            screened.skipped_rejected += 1
        elif any(words in quote or quote in words for quote in curated):
            screened.skipped_curated += 1
        else:
            kept.append(suggestion)
    draft.suggestions = kept
    return screened


# ------------------------------------------------------------------ what a curator accepts
@dataclass(frozen=True)
class ProposedExpert:
    """A speaker the corpus does not know yet, as the curator confirmed (or corrected) them."""

    name: str
    role: str = ""
    affiliation: str = ""
    kind: str = "other"
    country: str = ""

    @property
    def identity(self) -> tuple[str, ...]:
        return fold_name(self.name)


@dataclass(frozen=True)
class ProposedOutlet:
    name: str
    homepage: str = ""


@dataclass
class NewArticle:
    """The article's fields as the curator corrected them; `outlet` an Outlet, a ProposedOutlet or None."""

    fields: dict
    outlet: Outlet | ProposedOutlet | None = None
    visits: list[Visit] = field(default_factory=list)


@dataclass
class AcceptedQuote:
    text: str
    speaker: Expert | ProposedExpert
    relayed_by: Expert | ProposedExpert | None = None
    visit: Visit | None = None
    kind: str = "direct"
    notes: str = ""


@dataclass
class Accepted:
    article: Article
    article_created: bool
    quotes: list[Quote]
    experts_created: list[Expert]
    outlet_created: Outlet | None = None


class ReviewRefused(Exception):
    """What was accepted breaks the corpus's rules; nothing was saved.

    `errors` says where, as the API answers it: {"article": {field: [messages]}, "quotes": {index: {field: [...]}}}.
    """

    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


class ReviewConflict(Exception):
    """A concurrent write took what this one needed (the same quote accepted twice at once); nothing was saved."""


def accept(
    *, user, article: Article | NewArticle, quotes: list[AcceptedQuote], reason: str = ACCEPT_REASON
) -> Accepted:
    """Save a reviewed article (new, or the corpus's copy) with the quotes the curator accepted.

    All or nothing: every refusal is collected (the article's fields, each quote's) and reported at
    once, and nothing is saved unless all of it can be.
    """
    _check_permissions(user, article, quotes)
    try:
        with transaction.atomic():
            return _accept(user, article, quotes, reason)
    except IntegrityError as race:
        raise ReviewConflict(
            "Someone saved the same article or quote while this was being accepted. Ingest the page again "
            "to see what the corpus now holds."
        ) from race


def _check_permissions(user, article, quotes) -> None:
    needed = {"corpus_app.add_quote"}
    if isinstance(article, NewArticle):
        needed.add("corpus_app.add_article")
        if isinstance(article.outlet, ProposedOutlet):
            needed.add("corpus_app.add_outlet")
    if any(isinstance(person, ProposedExpert) for q in quotes for person in (q.speaker, q.relayed_by)):
        needed.add("corpus_app.add_expert")
    missing = sorted(permission for permission in needed if not user.has_perm(permission))
    if missing:
        raise PermissionDenied(f"Accepting this needs the permission(s) {', '.join(missing)}.")


def _accept(user, article, quotes, reason) -> Accepted:
    outlet_created = None
    created = isinstance(article, NewArticle)
    if created:
        article, outlet_created, article_errors = _save_article(user, article, reason)
        if article_errors:
            raise ReviewRefused({"article": article_errors})
    experts: dict[tuple[str, ...], Expert] = {}
    saved: list[Quote] = []
    quote_errors: dict[int, dict] = {}
    for index, accepted in enumerate(quotes):
        quote, problems = _save_quote(user, article, accepted, experts, reason)
        if problems:
            quote_errors[index] = problems
        else:
            saved.append(quote)
    if quote_errors:
        raise ReviewRefused({"quotes": quote_errors})
    return Accepted(article, created, saved, list(experts.values()), outlet_created)


def _save_article(user, new: NewArticle, reason) -> tuple[Article, Outlet | None, dict]:
    fields = dict(new.fields)
    existing = find_existing_article(
        url=fields.get("url", ""), title=fields.get("title", ""), digest=provenance.body_digest(fields.get("body", ""))
    )
    if existing is not None:
        where = "url" if fields.get("url") and existing.url in url_variants(fields["url"]) else NON_FIELD_ERRORS
        message = f"The corpus has this page already: “{existing}” (article {existing.pk}). Add quotes to it instead."
        return Article(), None, {where: [message]}
    outlet_created = None
    outlet = new.outlet
    if isinstance(outlet, ProposedOutlet):
        existing = Outlet.objects.filter(name__iexact=outlet.name.strip()).first()
        if existing is not None:
            outlet = existing
        else:
            outlet = Outlet(name=outlet.name.strip(), homepage=outlet.homepage, slug=unique_slug(Outlet, outlet.name))
            problems = _saved(outlet, user, reason)
            if problems:
                return Article(), None, {"outlet": _named_messages(problems)}
            outlet_created = outlet
    fields.setdefault("slug", "")
    if not fields["slug"]:
        fields["slug"] = unique_slug(Article, fields.get("title") or "article")
    article = Article(**fields, outlet=outlet)
    problems = _saved(article, user, reason)
    if problems:
        return article, None, problems
    if new.visits:
        article.visits.set(new.visits)
    return article, outlet_created, {}


def _save_quote(user, article, accepted: AcceptedQuote, experts, reason) -> tuple[Quote | None, dict]:
    problems: dict = {}
    speaker = _expert(user, accepted.speaker, experts, reason, problems, "speaker")
    relayed_by = (
        _expert(user, accepted.relayed_by, experts, reason, problems, "relayed_by") if accepted.relayed_by else None
    )
    if problems:
        return None, problems
    quote = Quote(
        text=accepted.text,
        speaker=speaker,
        relayed_by=relayed_by,
        article=article,
        visit=accepted.visit,
        kind=accepted.kind,
        notes=accepted.notes,
    )
    problems = _saved(quote, user, reason)
    return (None, problems) if problems else (quote, {})


def _expert(user, person, experts, reason, problems, field_name) -> Expert | None:
    """An existing expert as is; a proposed one created once per request, however many quotes it speaks."""
    if isinstance(person, Expert):
        return person
    if person.identity in experts:
        return experts[person.identity]
    expert = Expert(
        name=person.name.strip(),
        slug=unique_slug(Expert, person.name),
        role=person.role,
        affiliation=person.affiliation,
        kind=person.kind,
        country=person.country,
        notes="Proposed by ingest from the article's own words; created when a curator accepted a quote.",
    )
    refused = _saved(expert, user, reason)
    if refused:
        problems[field_name] = _named_messages(refused)
        return None
    experts[person.identity] = expert
    return expert


def _named_messages(problems: dict) -> list[str]:
    """A related record's refusals, reported on the field that names it: "slug: This slug is taken."."""
    return [f"{field}: {' '.join(messages)}" for field, messages in problems.items()]


def _saved(record, user, reason) -> dict:
    """Validate and save `record` as any write does, its history naming the curator; its errors if refused."""
    try:
        record.full_clean()
    except ValidationError as error:
        return error.message_dict
    record._history_user = user
    record._change_reason = reason
    record.save()
    return {}


def unique_slug(model, text: str) -> str:
    """A slug for a new record from its name or title, numbered when another record has it already."""
    max_length = model._meta.get_field("slug").max_length - 4
    base = (slugify(text) or "-".join(folded_words(text)) or model._meta.model_name)[:max_length].strip("-")
    candidates = [base, *(f"{base}-{number}" for number in range(2, SLUG_ATTEMPTS + 1))]
    taken = set(model.objects.filter(slug__in=candidates).values_list("slug", flat=True))
    for slug in candidates:
        if slug not in taken:
            return slug
    return f"{base[: max_length - 9]}-{hashlib.sha1(text.encode()).hexdigest()[:8]}"


# ------------------------------------------------------------------ what a curator rejects
def reject(*, user, url: str, body: str = "", digest: str = "", texts: list[str]) -> int:
    """Remember rejected suggestions for this page (by its URL and body digest); how many were new."""
    digest = digest or provenance.body_digest(body)
    new = 0
    for text in texts:
        _, made = RejectedSuggestion.objects.get_or_create(
            body_digest=digest,
            quote_digest=provenance.quote_digest(text),
            defaults={"article_url": url, "text": text, "rejected_by": user if user.is_authenticated else None},
        )
        new += made
    return new
