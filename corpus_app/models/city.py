from django.db import models
from django_countries.fields import CountryField

from .base import CorpusModel, MaintainedCount, SlugKeyedQuerySet
from .history_records import CorpusHistoricalRecords
from .sorting import SortKey, keyset_index

SORT_KEYS = {
    "name": (SortKey("name"),),
    "visit_count": (SortKey("visit_count"),),
    "created_at": (SortKey("created_at"),),
    "updated_at": (SortKey("updated_at"),),
}


class CityQuerySet(SlugKeyedQuerySet):
    def for_listing(self):
        return self.all()


class City(CorpusModel):
    """A place a visit went to; a record, not a string, so visits can be filtered by city."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    country = CountryField()
    visit_count = MaintainedCount()

    objects = CityQuerySet.as_manager()
    history = CorpusHistoricalRecords(app="corpus_history", excluded_fields=["visit_count"])
    curated_fields = ("slug", "name", "country")
    sort_keys = SORT_KEYS
    default_sort = "name"

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "cities"
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="corpus_app_city_unique_name_country"),
        ]
        indexes = [
            models.Index(fields=["visit_count", "id"], name="corpus_city_by_visits"),
            keyset_index("city_by_name", *SORT_KEYS["name"]),
            keyset_index("city_by_created", *SORT_KEYS["created_at"]),
            keyset_index("city_by_updated", *SORT_KEYS["updated_at"]),
            keyset_index("city_country_by_name", "country", *SORT_KEYS["name"]),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)
