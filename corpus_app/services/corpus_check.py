"""A whole-corpus audit of the rules the database cannot enforce by itself.

Rows can reach the database around model validation (bulk updates, raw SQL, an older fixture), so
this re-checks every quote against its article, article by article so each body is read once.
"""

from dataclasses import dataclass

from corpus_app.models import Article
from corpus_app.text import quote_digest, quote_position_in_article


@dataclass(frozen=True)
class Problem:
    record: str
    message: str

    def __str__(self):
        return f"{self.record}: {self.message}"


def _quote_label(quote) -> str:
    return f"Quote {quote.pk} ({quote.speaker.slug} in {quote.article.slug})"


def corpus_check(*, chunk_size: int = 200) -> list[Problem]:
    """Return every problem found; an empty list means the corpus is consistent."""
    problems: list[Problem] = []
    articles = Article.objects.prefetch_related("quotes__speaker", "visits").order_by("pk")
    for article in articles.iterator(chunk_size=chunk_size):
        covered_visits = {visit.pk for visit in article.visits.all()}
        for quote in article.quotes.all():
            quote.article = article
            label = _quote_label(quote)
            position = quote_position_in_article(quote.text, article.body)
            if position is None:
                problems.append(Problem(label, "its text does not appear in the article's body."))
            elif position != quote.position:
                problems.append(Problem(label, f"stored position {quote.position} should be {position}."))
            if quote.text_digest != quote_digest(quote.text):
                problems.append(Problem(label, "stored text digest does not match its text."))
            if quote.visit_id is not None and quote.visit_id not in covered_visits:
                problems.append(Problem(label, f"its visit {quote.visit_id} is not among the article's visits."))
    return problems
