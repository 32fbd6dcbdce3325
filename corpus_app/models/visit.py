from django.db import models
from django.db.models import F, Q
from django_countries.fields import CountryField

from .base import CorpusModel, MaintainedCount, SlugKeyedQuerySet, related_shown, valid_choice_constraint
from .dates import (
    format_partial_date,
    partial_date_constraints,
    partial_date_field_names,
    partial_date_fields,
    truncate_to_precision,
)
from .history_records import CorpusHistoricalRecords
from .limits import NOTE, NOTES, SUMMARY, bounded_text
from .search_text import SEARCH_TEXT_FIELDS, Searchable, search_text_of, searchable_manager
from .sorting import EARLIEST_DATE, SortKey, keyset_index

# The orderings lists of visits offer (models/sorting.py); each has an index below.
SORT_KEYS = {
    "start_date": (SortKey("start_date", EARLIEST_DATE),),
    "end_date": (SortKey("end_date", EARLIEST_DATE),),
    "title": (SortKey("title"),),
    "article_count": (SortKey("article_count"),),
    "quote_count": (SortKey("quote_count"),),
    "created_at": (SortKey("created_at"),),
    "updated_at": (SortKey("updated_at"),),
}
BY_START = SORT_KEYS["start_date"][0]
PARTICIPANT_SORT_KEYS = {
    # A visit's participants together, as they were entered.
    "visit": (SortKey("visit_id"),),
    "created_at": (SortKey("created_at"),),
    "updated_at": (SortKey("updated_at"),),
}


class VisitKind(models.TextChoices):
    STATE = "state", "state"
    OFFICIAL = "official", "official"
    WORKING = "working", "working"
    OTHER = "other", "other"
    UNKNOWN = "unknown", "not stated"


class VisitStatus(models.TextChoices):
    ANNOUNCED = "announced", "announced (only expected in the sources)"
    HELD = "held", "held"
    CANCELLED = "cancelled", "cancelled"


ARTICLES_EMBEDDED = 20


class VisitQuerySet(SlugKeyedQuerySet):
    def for_listing(self):
        """Visits with cities, participants and their latest articles, in a fixed number of queries.

        At most ARTICLES_EMBEDDED articles a visit, the latest first: a visit covered by thousands would
        otherwise make every page of visits megabytes; `article_count` and /api/visits/{id}/articles/
        give the rest. In brief: their bodies would be most of the bytes read.
        """
        from .article import Article

        latest = Article.objects.defer("body", "notes").order_by(F("published_date").desc(nulls_last=True), "-id")
        return self.prefetch_related(
            "cities",
            # A list of its own: Django prefetches a slice only into an attribute, not into `articles`.
            models.Prefetch("articles", latest[:ARTICLES_EMBEDDED], to_attr="latest_articles"),
            models.Prefetch(
                "participations",
                VisitParticipant.objects.select_related("person").defer("person__notes", *search_text_of("person")),
            ),
        )


class Visit(Searchable, CorpusModel):
    """A trip by one or more people to one host country, as the press reports or announces it."""

    slug = models.SlugField(max_length=200, unique=True)
    title = models.CharField(max_length=300, help_text="A short label, e.g. “Lavrov in Baku, February 2023”.")
    summary = bounded_text(SUMMARY, blank=True)
    kind = models.CharField(max_length=16, choices=VisitKind.choices, default=VisitKind.UNKNOWN)
    status = models.CharField(max_length=16, choices=VisitStatus.choices, default=VisitStatus.HELD)
    host_country = CountryField()
    cities = models.ManyToManyField("corpus_app.City", blank=True, related_name="visits")
    participants = models.ManyToManyField(
        "corpus_app.Expert", through="corpus_app.VisitParticipant", related_name="visits"
    )
    start_date, start_date_precision, start_date_inferred, start_date_note = partial_date_fields("start")
    end_date, end_date_precision, end_date_inferred, end_date_note = partial_date_fields("end")
    notes = bounded_text(NOTES, blank=True)
    article_count = MaintainedCount()
    quote_count = MaintainedCount()

    objects = searchable_manager(VisitQuerySet)
    history = CorpusHistoricalRecords(
        app="corpus_history", m2m_fields=[cities], excluded_fields=["article_count", "quote_count", *SEARCH_TEXT_FIELDS]
    )
    sort_keys = SORT_KEYS
    default_sort = "-start_date"
    curated_fields = (
        "slug", "title", "summary", "kind", "status", "host_country", "cities",
        *partial_date_field_names("start"), *partial_date_field_names("end"), "notes",
    )  # fmt: skip

    class Meta:
        ordering = [F("start_date").desc(nulls_last=True), "slug"]
        constraints = [
            *partial_date_constraints("start_date"),
            *partial_date_constraints("end_date"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="corpus_app_visit_ends_on_or_after_start",
                violation_error_message="A visit cannot end before it starts.",
            ),
            valid_choice_constraint("kind", VisitKind),
            valid_choice_constraint("status", VisitStatus),
        ]
        # One per ordering (the counts' come with their maintained columns), and each filter in the
        # default order. date_after/date_before compare the plain columns.
        indexes = [
            models.Index(fields=["article_count", "id"], name="corpus_visit_by_articles"),
            models.Index(fields=["quote_count", "id"], name="corpus_visit_by_quotes"),
            keyset_index("visit_by_start", BY_START),
            keyset_index("visit_by_end", *SORT_KEYS["end_date"]),
            keyset_index("visit_by_title", *SORT_KEYS["title"]),
            keyset_index("visit_by_created", *SORT_KEYS["created_at"]),
            keyset_index("visit_by_updated", *SORT_KEYS["updated_at"]),
            keyset_index("visit_kind_by_start", "kind", BY_START),
            keyset_index("visit_status_by_start", "status", BY_START),
            keyset_index("visit_host_by_start", "host_country", BY_START),
            models.Index(fields=["start_date"], name="visit_start_range"),
            models.Index(fields=["end_date"], name="visit_end_range"),
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)

    def derive_fields(self):
        self.start_date = truncate_to_precision(self.start_date, self.start_date_precision)
        self.end_date = truncate_to_precision(self.end_date, self.end_date_precision)
        self.derive_search_text()

    def search_sources(self):
        return self.title, self.summary

    @property
    def dates_display(self) -> str:
        start = format_partial_date(self.start_date, self.start_date_precision)
        if self.end_date is None or (self.end_date, self.end_date_precision) == (
            self.start_date,
            self.start_date_precision,
        ):
            return start
        return f"{start} – {format_partial_date(self.end_date, self.end_date_precision)}"


class ParticipantRole(models.TextChoices):
    VISITOR = "visitor", "visitor"
    MET = "met", "met by the visitor"


class VisitParticipantQuerySet(models.QuerySet):
    def for_listing(self):
        """Participations with the visit and the person a reader sees beside them."""
        return self.select_related("visit", "person").defer(*search_text_of("visit", "person"))

    def get_by_natural_key(self, visit_slug, person_slug, role):
        return self.get(visit__slug=visit_slug, person__slug=person_slug, role=role)


class VisitParticipant(CorpusModel):
    """One person's part in a visit: who travelled, in what office, and whom they met."""

    # PROTECT: who travelled and whom they met is curated, and restoring a deleted visit would not bring
    # its participants back; a visit is deleted once they are removed (each restorable from history).
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="participations")
    # PROTECT: removing a person must not silently rewrite who travelled.
    person = models.ForeignKey("corpus_app.Expert", on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(max_length=16, choices=ParticipantRole.choices)
    office = models.CharField(max_length=300, blank=True, help_text="Office held at the time, as the source gives it.")
    inferred = models.BooleanField(
        default=False, help_text="Set when the source implies this person without naming them."
    )
    note = bounded_text(NOTE, blank=True)

    objects = VisitParticipantQuerySet.as_manager()
    history = CorpusHistoricalRecords(app="corpus_history")
    sort_keys = PARTICIPANT_SORT_KEYS
    default_sort = "visit"
    curated_fields = ("visit", "person", "role", "office", "inferred", "note")

    class Meta:
        # Visitors before the people they met.
        ordering = ["visit", "-role", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "person", "role"], name="corpus_app_visitparticipant_unique_role"),
            valid_choice_constraint("role", ParticipantRole),
            models.CheckConstraint(
                condition=Q(inferred=False) | ~Q(note=""),
                name="corpus_app_visitparticipant_inference_explained",
                violation_error_message="An inferred participant needs a note saying what it is inferred from.",
            ),
        ]
        indexes = [
            keyset_index("participant_by_visit", *PARTICIPANT_SORT_KEYS["visit"]),
            keyset_index("participant_by_created", *PARTICIPANT_SORT_KEYS["created_at"]),
            keyset_index("participant_by_updated", *PARTICIPANT_SORT_KEYS["updated_at"]),
            keyset_index("participant_person_by_visit", "person", *PARTICIPANT_SORT_KEYS["visit"]),
            keyset_index("participant_role_by_visit", "role", *PARTICIPANT_SORT_KEYS["visit"]),
        ]

    def __str__(self):
        return f"{related_shown(self, 'person')} ({self.get_role_display()}) — {related_shown(self, 'visit')}"

    def natural_key(self):
        return (*self.visit.natural_key(), *self.person.natural_key(), self.role)

    natural_key.dependencies = ["corpus_app.visit", "corpus_app.expert"]
