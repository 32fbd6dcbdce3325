from django.db import models
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from .base import CorpusModel, MaintainedCount, SlugKeyedQuerySet


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
    history = HistoricalRecords(app="corpus_history", excluded_fields=["visit_count"])
    curated_fields = ("slug", "name", "country")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "cities"
        indexes = [models.Index(fields=["visit_count", "id"], name="corpus_city_by_visits")]
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="corpus_app_city_unique_name_country"),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)
