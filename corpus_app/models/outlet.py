from django.db import models
from django_countries.fields import CountryField

from .base import CorpusModel, MaintainedCount, SlugKeyedQuerySet
from .history_records import CorpusHistoricalRecords
from .limits import NOTES, bounded_text
from .sorting import SortKey, keyset_index

SORT_KEYS = {
    "name": (SortKey("name"),),
    "article_count": (SortKey("article_count"),),
    "created_at": (SortKey("created_at"),),
    "updated_at": (SortKey("updated_at"),),
}


class OutletQuerySet(SlugKeyedQuerySet):
    def for_listing(self):
        return self.all()


class Outlet(CorpusModel):
    """A publisher. A model rather than a text field so one outlet is one spelling, filterable and
    describable (country, home page), however its name is styled on a page."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    homepage = models.URLField(blank=True)
    country = CountryField(blank=True)
    notes = bounded_text(NOTES, blank=True)
    article_count = MaintainedCount()

    objects = OutletQuerySet.as_manager()
    history = CorpusHistoricalRecords(app="corpus_history", excluded_fields=["article_count"])
    curated_fields = ("slug", "name", "homepage", "country", "notes")
    sort_keys = SORT_KEYS
    default_sort = "name"

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["article_count", "id"], name="corpus_outlet_by_articles"),
            keyset_index("outlet_by_name", *SORT_KEYS["name"]),
            keyset_index("outlet_by_created", *SORT_KEYS["created_at"]),
            keyset_index("outlet_by_updated", *SORT_KEYS["updated_at"]),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)
