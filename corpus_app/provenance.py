"""
Provenance: every rule tying a quote to the article it comes from lives here, and only here.

A quote is the words of its article. The press is inconsistent with white space and quotation marks
(straight, curly, guillemets), and a curator copying a quote should not have to reproduce a seed's
exact line breaks or mark style. So quotes are compared after folding every run of white space to
one space and every quotation mark to its plain ASCII form; letters, digits and punctuation must
match exactly, case included.

From that one comparison follow the facts the models, the API, import and `check_corpus` rely on:
where a quote stands in its article (its reading order), its digest (its identity within the
article), which visit a new quote is about by default, which quotes a body edit would strand, and
the visits an article must keep while its quotes are about them, and the whole-corpus audit. Models
call into this module; it never imports them at load time.
"""

import hashlib
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

_MARK_FOLDING = str.maketrans(
    {
        "\u201c": '"',  # “
        "\u201d": '"',  # ”
        "\u201e": '"',  # „
        "\u201f": '"',  # ‟
        "\u00ab": '"',  # «
        "\u00bb": '"',  # »
        "\u2033": '"',  # ″
        "\u2018": "'",  # ‘
        "\u2019": "'",  # ’
        "\u201a": "'",  # ‚
        "\u201b": "'",  # ‛
        "\u2032": "'",  # ′
        "\u0060": "'",  # `
    }
)

NOT_IN_ARTICLE = (
    "This text does not appear in the article's body (compared ignoring white space and the style of "
    "quotation marks). Copy the quote verbatim from the article."
)
VISIT_NOT_COVERED = "The article does not cover this visit; add the visit to the article first."


# ------------------------------------------------------------------ matching words against a body
def normalise_for_matching(text: str) -> str:
    """Fold quotation marks and white space; strip the ends."""
    return " ".join(text.translate(_MARK_FOLDING).split())


class ArticleText:
    """An article body normalised once, to place any number of its quotes.

    Normalising is the costly part of placing a quote (a body is thousands of characters, a quote a
    few dozen), so an import placing an article's quotes does it once per article, not once per quote.
    Runs of white space become one space and every other character is kept, so a match inside the
    k-th word of the normalised text is as far into the k-th word of the body.
    """

    _WORD = re.compile(r"\S+")  # \s is str.isspace(), the white space str.split() folds

    def __init__(self, body: str):
        folded = body.translate(_MARK_FOLDING)
        self.normalised = " ".join(folded.split())
        self._folded = folded
        self._word_starts: list[int] | None = None  # in the body; found when a quote is first placed

    def position_of(self, quote_text: str) -> int | None:
        """Character offset in the body where `quote_text` begins, or None if the body does not contain it."""
        needle = normalise_for_matching(quote_text)
        if not needle:
            return None
        found = self.normalised.find(needle)
        if found < 0:
            return None
        if self._word_starts is None:
            self._word_starts = [word.start() for word in self._WORD.finditer(self._folded)]
        word = self.normalised.count(" ", 0, found)
        word_start = self.normalised.rfind(" ", 0, found) + 1
        return self._word_starts[word] + found - word_start


def quote_position_in_article(quote_text: str, body: str) -> int | None:
    """Character offset in `body` where `quote_text` begins, or None if the body does not contain it."""
    return ArticleText(body).position_of(quote_text)


def quote_is_in_article(quote_text: str, body: str) -> bool:
    return quote_position_in_article(quote_text, body) is not None


def quote_digest(quote_text: str) -> str:
    """A stable identity for a quote's words: two spellings of its white space or marks are one quote."""
    return hashlib.sha256(normalise_for_matching(quote_text).encode("utf-8")).hexdigest()


def body_digest(body: str) -> str:
    """A stable identity for an article's body, by the same folding: a page saved twice is one body."""
    return quote_digest(body)


# ------------------------------------------------------------------ rules on one quote or article
def quote_errors(text: str, visit_id: int | None, body: str | ArticleText, covered_visit_ids) -> dict[str, str]:
    """What is wrong with a quote of `text` about `visit_id` in an article with `body` covering
    `covered_visit_ids`, per field; empty when nothing is. Shared by validation, bulk import (which
    passes the body as an ArticleText, normalised once for all its quotes) and the audit."""
    errors = {}
    article_text = body if isinstance(body, ArticleText) else ArticleText(body)
    if text and article_text.position_of(text) is None:
        errors["text"] = NOT_IN_ARTICLE
    if visit_id is not None and visit_id not in covered_visit_ids:
        errors["visit"] = VISIT_NOT_COVERED
    return errors


def quote_derived_fields(quote) -> None:
    """Set the digest and position a quote stores, from its text and its article's body."""
    quote.text_digest = quote_digest(quote.text)
    if quote.article_id is not None:
        quote.position = quote_position_in_article(quote.text, quote.article.body)


def quote_default_visit(article):
    """The visit a new quote is about when the curator names none: the article's, if it covers exactly one."""
    visits = list(article.visits.all()[:2])
    return visits[0] if len(visits) == 1 else None


def quotes_stranded_by_body(article) -> list:
    """The saved quotes of `article` that its (possibly edited, unsaved) body no longer contains."""
    if article.pk is None:
        return []
    return [
        quote for quote in article.quotes.select_related("speaker") if not quote_is_in_article(quote.text, article.body)
    ]


def quotes_stranded_by_visits(article, visit_ids) -> list:
    """The saved quotes of `article` about a visit that `visit_ids` (its visits after an edit) leaves out."""
    if article.pk is None:
        return []
    stranded = article.quotes.filter(visit__isnull=False).exclude(visit_id__in=list(visit_ids))
    return list(stranded.select_related("speaker", "visit"))


def stranded_visits_message(quotes) -> str:
    visits = sorted({str(quote.visit) for quote in quotes})
    return (
        f"{len(quotes)} of this article's quotes are about {', '.join(visits)}; the article must keep covering "
        "it. Move those quotes to another visit (or none) first."
    )


def article_visits_check(article, visit_ids) -> None:
    """Refuse (ValidationError) an edit leaving `article` with `visit_ids` if its quotes are about another visit.

    Forms and serializers call it with the visits a curator submitted, before anything is saved.
    """
    stranded = quotes_stranded_by_visits(article, visit_ids)
    if stranded:
        raise ValidationError(stranded_visits_message(stranded))


def quote_positions_refresh(article) -> None:
    """Recompute the reading-order offsets of an article's quotes after its body changed.

    A moved quote's `updated_at` moves too (its representation changed), its version does not: the
    curator's words and attribution are as they were, so an edit based on them is not stale.
    """
    moved = []
    for quote in article.quotes.only("id", "text", "position"):
        position = quote_position_in_article(quote.text, article.body)
        if position != quote.position:
            quote.position, quote.updated_at = position, timezone.now()
            moved.append(quote)
    article.quotes.model.objects.bulk_update(moved, ["position", "updated_at"])


# ------------------------------------------------------------------ the whole-corpus audit
@dataclass(frozen=True)
class Problem:
    record: str
    message: str

    def __str__(self):
        return f"{self.record}: {self.message}"


def _audit_messages(quote, article, covered_visit_ids) -> list[str]:
    errors = quote_errors(quote.text, quote.visit_id, article.body, covered_visit_ids)
    messages = []
    if "text" in errors:
        messages.append("its text does not appear in the article's body.")
    else:
        expected = quote_position_in_article(quote.text, article.body)
        if expected != quote.position:
            messages.append(f"stored position {quote.position} should be {expected}.")
    if quote.text_digest != quote_digest(quote.text):
        messages.append("stored text digest does not match its text.")
    if "visit" in errors:
        messages.append(f"its visit {quote.visit_id} is not among the article's visits.")
    return messages


def corpus_audit(articles, *, chunk_size: int = 200) -> list[Problem]:
    """Re-check every quote of `articles` against its article; an empty list means all hold.

    Rows can reach the database around model validation (bulk updates, raw SQL, an older fixture),
    so this reads the stored rows, article by article so each body is read once.
    """
    problems: list[Problem] = []
    articles = articles.prefetch_related("quotes__speaker", "visits").order_by("pk")
    for article in articles.iterator(chunk_size=chunk_size):
        covered = {visit.pk for visit in article.visits.all()}
        for quote in article.quotes.all():
            label = f"Quote {quote.pk} ({quote.speaker.slug} in {article.slug})"
            problems.extend(Problem(label, message) for message in _audit_messages(quote, article, covered))
    return problems
