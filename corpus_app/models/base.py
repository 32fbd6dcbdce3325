"""What every corpus record shares: timestamps, natural keys by slug, and fixture-row validation."""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models, transaction
from django.db.models import Count, F, IntegerField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME


def count_where(queryset, outer_field: str, *, distinct: str | None = None):
    """An annotation counting rows of `queryset` whose `outer_field` is the outer row's pk.

    A correlated subquery rather than Count() over joins: two joined counts on one row multiply
    each other's rows, and grouping a million quotes to count them costs more than the index
    lookup per listed row that this does.
    """
    counted = Count(distinct, distinct=True) if distinct else Count("pk")
    subquery = (
        queryset.filter(**{outer_field: OuterRef("pk")})
        .order_by()
        .values(outer_field)
        .annotate(total=counted)
        .values("total")
    )
    return Coalesce(Subquery(subquery, output_field=IntegerField()), Value(0))


def related_shown(record, name: str) -> str:
    """A related record's name for a record's str(), or what it was if it has been deleted since: a past
    version (history, "Deleted records") may point at a record no longer there, and its page must open."""
    try:
        return str(getattr(record, name))
    except ObjectDoesNotExist:
        field = record._meta.get_field(name)
        return f"(deleted {field.related_model._meta.verbose_name} {getattr(record, field.attname)})"


def is_whole_list(queryset) -> bool:
    """Whether `queryset` is all of its model's rows: no filter, no search (a listing queryset adds neither),
    so that the count columns (counts.py) may answer for it."""
    return not queryset.query.where and not queryset.query.distinct


def rows_counted(queryset) -> Count:
    """COUNT of `queryset`'s rows in a GROUP BY, each row once: a filter across a many-valued relation
    (articles quoting an expert) joins a row in once per match, and makes the list distinct."""
    return Count("pk", distinct=bool(queryset.query.distinct))


def valid_choice_constraint(field: str, choices) -> models.CheckConstraint:
    """Choices are enforced by forms only; this makes the database refuse any other value too."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": choices.values}),
        name=f"%(app_label)s_%(class)s_{field}_valid",
        violation_error_message=f"{field} must be one of {', '.join(choices.values)}.",
    )


class MaintainedCount(models.PositiveIntegerField):
    """A count of related rows (an expert's quotes), kept in a column by corpus_app/counts.py.

    A column rather than a query-time count: counting per listed row costs a subquery over millions of
    quotes, and only a column can be indexed for ordering by it. Never edited, never in fixtures
    (serialize=False), and never written by a record's own save (CorpusModel.save leaves it out), so a
    curator's stale copy of a record cannot overwrite the count that writes of its quotes moved meanwhile.
    """

    def __init__(self, *args, **kwargs):
        kwargs.update(default=0, db_default=0, editable=False, serialize=False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        for fixed in ("default", "db_default", "editable", "serialize"):
            kwargs.pop(fixed, None)
        return name, "corpus_app.models.base.MaintainedCount", args, kwargs


def maintained_count_names(model) -> list[str]:
    return [field.name for field in model._meta.concrete_fields if isinstance(field, MaintainedCount)]


class FixtureRowError(ValueError):
    """A fixture row that breaks a corpus rule.

    A ValueError so that `loaddata` reports it as "Could not load <model>(...): <this message>" and
    rolls the whole load back.
    """


class StaleVersionError(Exception):
    """A save based on a version of the record that someone else has already replaced."""

    def __init__(self, instance, expected_version, *, deleted: bool = False):
        self.instance = instance
        self.expected_version = expected_version
        super().__init__(
            f"{instance._meta.verbose_name.capitalize()} “{instance}” was {'deleted' if deleted else 'changed'} by "
            f"someone else after version {expected_version} was read; the change based on it was not saved."
        )


class SlugKeyedQuerySet(models.QuerySet):
    """Records identified across databases by their slug, so fixtures never depend on ids."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class CorpusModel(models.Model):
    """Base of every curated record.

    Timestamps use a default instead of auto_now so that fixtures carry them: a raw fixture save
    skips auto_now, and a reload must leave every row exactly as it was.

    `version` guards against lost updates: every save of an existing row claims the next version
    with a compare-and-set in the database, so of two curators who opened version 3, the first to
    save makes version 4 and the second is refused with StaleVersionError instead of overwriting.
    """

    # The fields a curator edits, in reading order. Serializers and import/export take their field
    # lists from here, so a new field is declared once and reaches every way in.
    curated_fields: tuple[str, ...] = ()

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(
        default=1, help_text="Goes up by one with every save; an edit of an older version is refused."
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.derive_fields()
        if self._state.adding:
            super().save(*args, **kwargs)
            return
        self.updated_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "updated_at", "version"}
        elif maintained_count_names(self):
            kwargs["update_fields"] = self._own_loaded_fields()
        with transaction.atomic(using=kwargs.get("using")):
            if self._claim_next_version():
                super().save(*args, **kwargs)
            elif hasattr(self, SIMPLE_HISTORY_REVERSE_ATTR_NAME):
                # The row is gone and this is a version from its history: reverting a deletion saves it again,
                # as changed now, so that a mirror that deleted it gets it back (sync.py).
                self._state.adding = True
                self.updated_at = timezone.now()
                # Past every version it had, not the one restored: an If-Match written for that old version
                # (an ETag a client kept) must not pass against the restored record.
                self.version = self._latest_recorded_version() + 1
                super().save(force_insert=True, using=kwargs.get("using"))
            else:
                # The row is gone under an edit of it (a delete committed since it was read): saving it
                # again would undo a deletion that was acknowledged.
                raise StaleVersionError(self, self.version, deleted=True)

    def validate_constraints(self, exclude=None):
        # Forms exclude the fields they do not show: derived ones (a quote's digest) and an inline's
        # parent key (a quote's article). Django then skips every constraint naming one, such as one
        # quote text per article, and the database refuses the save with a server error instead.
        # Check every constraint on the values the instance holds.
        self.derive_fields()
        held = {
            field.name
            for field in self._meta.concrete_fields
            if not field.editable or (field.is_relation and getattr(self, field.attname) is not None)
        }
        super().validate_constraints(exclude=set(exclude or ()) - held)

    def _own_loaded_fields(self) -> set[str]:
        """What a plain save() would write (the loaded fields), less the maintained counts."""
        deferred = self.get_deferred_fields()
        return {
            field.name
            for field in self._meta.concrete_fields
            if not field.primary_key and field.attname not in deferred and not isinstance(field, MaintainedCount)
        }

    def _latest_recorded_version(self) -> int:
        history = getattr(type(self), "history", None)
        latest = history.filter(**{self._meta.pk.attname: self.pk}).aggregate(latest=Max("version")) if history else {}
        return max(latest.get("latest") or 0, self.version)

    def _claim_next_version(self) -> bool:
        """Move the row to the next version if it is still at ours; False if the row no longer exists."""
        expected = self.version
        rows = type(self)._base_manager.filter(pk=self.pk)
        if not rows.filter(version=expected).update(version=F("version") + 1):
            if rows.exists():
                raise StaleVersionError(self, expected)
            return False
        self.version = expected + 1
        return True

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
        unresolved = [
            f"{field.name}: no {field.related_model._meta.verbose_name} matches the key given."
            for field in self._meta.concrete_fields
            if field.many_to_one and not field.null and getattr(self, field.attname) is None
        ]
        if unresolved:
            raise FixtureRowError(f"{self._fixture_row_label()} is invalid: {'; '.join(unresolved)}")
        try:
            self.full_clean()
        except ValidationError as error:
            raise FixtureRowError(f"{self._fixture_row_label()} is invalid: {_describe(error)}") from error

    def _fixture_row_label(self) -> str:
        # A natural key naming another row that does not exist leaves that relation unset here
        # (loaddata defers it), so the label must not depend on relations being present.
        try:
            key = self.natural_key() if hasattr(self, "natural_key") else (self.pk,)
            described = str(self)
        except ObjectDoesNotExist:
            key, described = (self.pk,), "with a relation to a row that does not exist"
        return f"{self._meta.label} {key!r} «{described}»"


def _describe(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
    return " ".join(error.messages)
