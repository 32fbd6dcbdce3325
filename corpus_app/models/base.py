"""What every corpus record shares: timestamps, natural keys by slug, and fixture-row validation."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class FixtureRowError(ValueError):
    """A fixture row that breaks a corpus rule.

    A ValueError so that `loaddata` reports it as "Could not load <model>(...): <this message>" and
    rolls the whole load back.
    """


class SlugKeyedQuerySet(models.QuerySet):
    """Records identified across databases by their slug, so fixtures never depend on ids."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class CorpusModel(models.Model):
    """Base of every curated record.

    Timestamps use a default instead of auto_now so that fixtures carry them: a raw fixture save
    skips auto_now, and a reload must leave every row exactly as it was.
    """

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.updated_at = timezone.now()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "updated_at"}
        self.derive_fields()
        super().save(*args, **kwargs)

    def derive_fields(self):
        """Compute stored fields that follow from others. Runs on every save, fixtures included."""

    def validate_fixture_row(self):
        """Apply every model rule to a row that `loaddata` is about to save raw.

        Django saves fixture rows without calling save() or full_clean(), so without this a fixture
        could load a quote that is not in its article or a visit that ends before it starts with
        only a database error that does not say which row.
        """
        self.derive_fields()
        if self.pk is not None:
            # loaddata found this row by its natural key: validate it as an update of itself.
            self._state.adding = not type(self)._default_manager.filter(pk=self.pk).exists()
        try:
            self.full_clean()
        except ValidationError as error:
            label = self._meta.label
            key = self.natural_key() if hasattr(self, "natural_key") else self.pk
            raise FixtureRowError(f"{label} {key!r} is invalid: {_describe(error)}") from error


def _describe(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)
