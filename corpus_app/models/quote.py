from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from corpus_app import provenance

from .base import CorpusModel, related_shown, valid_choice_constraint
from .history_records import CorpusHistoricalRecords
from .limits import NOTES, QUOTE_TEXT, bounded_text
from .search_text import SEARCH_TEXT_FIELDS, Searchable, search_text_of, searchable_manager
from .sorting import BELOW_ANY_COUNT, SortKey, keyset_index


class QuoteKind(models.TextChoices):
    DIRECT = "direct", "direct quotation"
    PARAPHRASE = "paraphrase", "paraphrase"


# Reading order: by article, then where the quote stands in it (a fixed pair of keys, one ordering).
READING_ORDER = (SortKey("article_id"), SortKey("position", BELOW_ANY_COUNT))
SORT_KEYS = {
    "reading_order": READING_ORDER,
    "created_at": (SortKey("created_at"),),
    "updated_at": (SortKey("updated_at"),),
}


class QuoteQuerySet(models.QuerySet):
    def for_listing(self):
        """Quotes with the speaker, article (and outlet) and visit a reader sees beside them.

        Without the long texts of the records beside them: a page of 50 quotes would otherwise read 50
        article bodies (kilobytes each) that it never shows.
        """
        return self.select_related("speaker", "relayed_by", "article__outlet", "visit").defer(
            "article__body", "article__notes", "article__outlet__notes", "speaker__notes", "relayed_by__notes",
            "visit__summary", "visit__notes", *search_text_of("speaker", "relayed_by", "article", "visit"),
        )  # fmt: skip

    def get_by_natural_key(self, article_slug, text_digest):
        return self.get(article__slug=article_slug, text_digest=text_digest)


class Quote(Searchable, CorpusModel):
    """A statement in an article, attributed to its speaker and tied to the visit it is about."""

    text = bounded_text(QUOTE_TEXT, help_text="Verbatim, as the article prints it.")
    # PROTECT on speaker and article: deleting either must never take curated quotes with it.
    speaker = models.ForeignKey("corpus_app.Expert", on_delete=models.PROTECT, related_name="quotes")
    article = models.ForeignKey("corpus_app.Article", on_delete=models.PROTECT, related_name="quotes")
    visit = models.ForeignKey(
        "corpus_app.Visit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quotes",
        help_text="Left empty on a new quote, it becomes the article's visit when the article covers exactly one.",
    )
    relayed_by = models.ForeignKey(
        "corpus_app.Expert",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="relayed_quotes",
        help_text="Whoever the article carries these words through (an analyst citing a minister), when "
        "that is not the speaker. The speaker is always the person whose words they are.",
    )
    kind = models.CharField(max_length=16, choices=QuoteKind.choices, default=QuoteKind.DIRECT)
    position = models.PositiveIntegerField(
        null=True, editable=False, help_text="Character offset of the quote in its article's body."
    )
    text_digest = models.CharField(max_length=64, editable=False)
    notes = bounded_text(NOTES, blank=True)

    objects = searchable_manager(QuoteQuerySet)
    history = CorpusHistoricalRecords(app="corpus_history", excluded_fields=SEARCH_TEXT_FIELDS)
    curated_fields = ("text", "kind", "speaker", "relayed_by", "article", "visit", "notes")
    sort_keys = SORT_KEYS
    default_sort = "reading_order"

    class Meta:
        ordering = ["article_id", "position", "id"]
        constraints = [
            # The digest of the normalised text, not the text: a unique index on long text fails on
            # PostgreSQL, and two spellings of one quote's white space are still one quote.
            models.UniqueConstraint(
                fields=["article", "text_digest"],
                name="corpus_app_quote_unique_in_article",
                violation_error_message="This article already has this quote.",
            ),
            models.CheckConstraint(
                condition=~Q(text=""),
                name="corpus_app_quote_text_not_blank",
                violation_error_message="A quote needs its text.",
            ),
            valid_choice_constraint("kind", QuoteKind),
            models.CheckConstraint(
                condition=~Q(relayed_by=F("speaker")),
                name="corpus_app_quote_relayed_by_another",
                violation_error_message="A quote is relayed by someone other than its speaker; leave it empty.",
            ),
        ]
        # Reading order (which serves ?article= too), the other orderings, and each filtered list in
        # reading order: a speaker's quotes, a visit's, those relayed by someone, those of a kind.
        indexes = [
            keyset_index("quote_reading_order", *READING_ORDER),
            keyset_index("quote_by_created", *SORT_KEYS["created_at"]),
            keyset_index("quote_by_updated", *SORT_KEYS["updated_at"]),
            keyset_index("quote_speaker_reading", "speaker", *READING_ORDER),
            keyset_index("quote_visit_reading", "visit", *READING_ORDER),
            keyset_index("quote_relayed_reading", "relayed_by", *READING_ORDER),
            keyset_index("quote_kind_reading", "kind", *READING_ORDER),
        ]

    def __str__(self):
        speaker = related_shown(self, "speaker") if self.speaker_id else "(no speaker)"
        return f"{speaker}: “{self.excerpt}”"

    @property
    def excerpt(self) -> str:
        return self.text if len(self.text) <= 80 else f"{self.text[:77]}…"

    def natural_key(self):
        return (*self.article.natural_key(), provenance.quote_digest(self.text))

    natural_key.dependencies = ["corpus_app.article"]

    def derive_fields(self):
        provenance.quote_derived_fields(self)
        self.derive_search_text()

    def search_sources(self):
        return self.text, ""

    def clean(self):
        if self.article_id is None:
            return
        covered = self.article.visits.filter(pk=self.visit_id).values_list("pk", flat=True) if self.visit_id else ()
        errors = provenance.quote_errors(self.text, self.visit_id, self.article.body, set(covered))
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self._state.adding and self.visit_id is None and self.article_id is not None:
            self.visit = provenance.quote_default_visit(self.article)
        super().save(*args, **kwargs)
