from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.functions import Upper

from corpus_app import provenance

from .base import CorpusModel, MaintainedCount, SlugKeyedQuerySet
from .dates import (
    DatePrecision,
    format_partial_date,
    partial_date_constraints,
    partial_date_field_names,
    partial_date_fields,
    truncate_to_precision,
)
from .history_records import CorpusHistoricalRecords
from .limits import ARTICLE_BODY, NOTES, bounded_text
from .search_text import SEARCH_TEXT_FIELDS, Searchable, searchable_manager
from .sorting import BELOW_ANY_COUNT, EARLIEST_DATE, SortKey, keyset_index

language_tag = RegexValidator(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", "Use a language tag such as 'en' or 'az-Latn'.")

# The orderings lists of articles offer (models/sorting.py); each has an index below.
SORT_KEYS = {
    "published_date": (SortKey("published_date", EARLIEST_DATE),),
    "title": (SortKey("title"),),
    "view_count": (SortKey("view_count", BELOW_ANY_COUNT),),
    "quote_count": (SortKey("quote_count"),),
    "created_at": (SortKey("created_at"),),
    "updated_at": (SortKey("updated_at"),),
}
BY_DATE = SORT_KEYS["published_date"][0]


class ArticleQuerySet(SlugKeyedQuerySet):
    def for_listing(self):
        """Articles with their outlet and visits (without the visits' long texts), in a fixed number of queries."""
        from .visit import Visit

        return self.select_related("outlet").prefetch_related(
            models.Prefetch("visits", Visit.objects.defer("summary", "notes"))
        )


class Article(Searchable, CorpusModel):
    """A press piece: its metadata as the page gives it and its body, cleaned of the page's chrome."""

    slug = models.SlugField(max_length=200, unique=True)
    title = models.CharField(max_length=500, blank=True, help_text="Empty when the source shows no headline.")
    subtitle = models.CharField(max_length=500, blank=True)
    # PROTECT: an outlet's articles are curated work; retire an outlet by editing it, not deleting it.
    outlet = models.ForeignKey(
        "corpus_app.Outlet",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        help_text="Empty when the source does not say who published it.",
    )
    author = models.CharField(max_length=200, blank=True)
    credit = models.CharField(
        max_length=200, blank=True, help_text="Agency or outlet the piece is credited to, when not the publisher."
    )
    (published_date, published_date_precision, published_date_inferred, published_date_note) = partial_date_fields(
        "published"
    )
    published_time = models.TimeField(
        null=True, blank=True, help_text="Local time as printed on the page; only with a day-precise date."
    )
    url = models.URLField("source URL", max_length=1000, blank=True)
    language = models.CharField(max_length=16, default="en", validators=[language_tag])
    section = models.CharField(max_length=200, blank=True, help_text="Section or rubric, as the page names it.")
    view_count = models.PositiveIntegerField(
        null=True, blank=True, help_text="View counter shown on the page when it was collected."
    )
    body = bounded_text(ARTICLE_BODY, help_text="The article's own words, paragraphs separated by blank lines.")
    visits = models.ManyToManyField("corpus_app.Visit", blank=True, related_name="articles")
    notes = bounded_text(NOTES, blank=True, help_text="Curator's notes: what was removed as page chrome, doubts.")
    quote_count = MaintainedCount()

    objects = searchable_manager(ArticleQuerySet)
    history = CorpusHistoricalRecords(
        app="corpus_history", m2m_fields=[visits], excluded_fields=["quote_count", *SEARCH_TEXT_FIELDS]
    )
    sort_keys = SORT_KEYS
    default_sort = "-published_date"
    curated_fields = (
        "slug", "title", "subtitle", "outlet", "author", "credit", *partial_date_field_names("published"),
        "published_time", "url", "language", "section", "view_count", "body", "notes", "visits",
    )  # fmt: skip

    class Meta:
        ordering = [F("published_date").desc(nulls_last=True), "slug"]
        constraints = [
            *partial_date_constraints("published_date"),
            models.UniqueConstraint(
                fields=["url"],
                condition=~Q(url=""),
                name="corpus_app_article_unique_url",
                violation_error_message="Another article already has this source URL.",
            ),
            models.CheckConstraint(
                condition=~Q(body=""),
                name="corpus_app_article_body_not_blank",
                violation_error_message="An article needs its body text.",
            ),
            models.CheckConstraint(
                condition=Q(published_time__isnull=True) | Q(published_date_precision=DatePrecision.DAY),
                name="corpus_app_article_time_needs_day",
                violation_error_message="A publication time needs a day-precise publication date.",
            ),
        ]
        # One per ordering (quote_count's comes with its maintained column), one per filter, and the
        # common filtered lists in the default order (an outlet's articles by date). A date range
        # filters the plain column.
        indexes = [
            models.Index(fields=["quote_count", "id"], name="corpus_article_by_quotes"),
            keyset_index("article_by_date", BY_DATE),
            keyset_index("article_by_title", SORT_KEYS["title"][0]),
            keyset_index("article_by_views", SORT_KEYS["view_count"][0]),
            keyset_index("article_by_created", SORT_KEYS["created_at"][0]),
            keyset_index("article_by_updated", SORT_KEYS["updated_at"][0]),
            keyset_index("article_outlet_by_date", "outlet", BY_DATE),
            keyset_index("article_language_by_date", "language", BY_DATE),
            # ?section= matches case-insensitively: PostgreSQL compares UPPER(section).
            models.Index(Upper("section"), BY_DATE.expression, F("id"), name="article_section_by_date"),
            models.Index(fields=["published_date"], name="article_published_range"),
        ]

    def __str__(self):
        if self.title:
            return self.title
        outlet = self.outlet.name if self.outlet_id else "Unknown outlet"
        return f"[untitled] {outlet}, {self.published_display}"

    def natural_key(self):
        return (self.slug,)

    @property
    def published_display(self) -> str:
        return format_partial_date(self.published_date, self.published_date_precision)

    def derive_fields(self):
        self.published_date = truncate_to_precision(self.published_date, self.published_date_precision)
        self.derive_search_text()

    def search_sources(self):
        return f"{self.title}\n{self.subtitle}", f"{self.author}\n{self.body}"

    def clean(self):
        # An edit to the body must not strand quotes that were verified against the old text.
        stranded = provenance.quotes_stranded_by_body(self)
        if stranded:
            listed = "; ".join(f"{quote.speaker}: “{quote.text[:60]}…”" for quote in stranded)
            raise ValidationError({"body": f"The new text no longer contains these quotes: {listed}"})

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._saved_body = instance.__dict__.get("body")
        return instance

    def save(self, *args, **kwargs):
        body_changed = not self._state.adding and getattr(self, "_saved_body", None) != self.body
        # One transaction, so the change stamp (changes.py) moves after the quotes' positions too.
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            if body_changed:
                provenance.quote_positions_refresh(self)
        self._saved_body = self.body
