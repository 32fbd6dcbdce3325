"""Loading a fixture over a curated database without losing anyone's work.

Django's `loaddata` saves every row raw: over a database where curators have edited a record it puts
the fixture's values back, resets `version` to the fixture's (so an old If-Match is valid again) and
records no history. Here a fixture row that matches a stored record (by natural key) is compared with
it first, field by field on the curated fields:

- the same: nothing is written, so its version and history stay as they are;
- different: listed and refused, unless the caller asks to overwrite; then the record is saved like
  any other change, as its next version with a history entry saying where the values came from.

Rows new to the database load as loaddata loads them (validated, raw) and get a first history entry.
"""

from dataclasses import dataclass

from corpus_app.models import CorpusModel


@dataclass(frozen=True)
class RowDifference:
    label: str
    fields: tuple[str, ...]

    def __str__(self):
        return f"{self.label}: {', '.join(self.fields)}"


def stored_record(deserialized):
    """The stored record a fixture row names by its natural key, or None for a new row."""
    row = deserialized.object
    if not isinstance(row, CorpusModel) or row.pk is None:
        return None
    return type(row)._base_manager.filter(pk=row.pk).first()


def _fixture_m2m(deserialized, name):
    return {int(pk) for pk in deserialized.m2m_data.get(name, ())}


def fixture_row_differences(deserialized, record) -> tuple[str, ...]:
    """The curated fields whose fixture value differs from the stored record's."""
    row = deserialized.object
    row.derive_fields()  # the stored record's dates are truncated to their precision; so must the row's be
    differing = []
    for name in type(row).curated_fields:
        field = type(row)._meta.get_field(name)
        if field.many_to_many:
            if name in deserialized.m2m_data and _fixture_m2m(deserialized, name) != set(
                getattr(record, name).values_list("pk", flat=True)
            ):
                differing.append(name)
        elif name not in deserialized.deferred_fields and getattr(row, field.attname) != getattr(record, field.attname):
            differing.append(name)
    return tuple(differing)


def fixture_row_overwrite(deserialized, record, fields, *, reason: str) -> None:
    """Save the fixture's values of `fields` into `record` as its next version, with history."""
    row = deserialized.object
    for name in fields:
        field = type(row)._meta.get_field(name)
        if not field.many_to_many:
            setattr(record, field.attname, getattr(row, field.attname))
    record.full_clean()
    record._change_reason = reason
    record.save()
    for name in fields:
        if type(row)._meta.get_field(name).many_to_many:
            getattr(record, name).set(_fixture_m2m(deserialized, name))


def row_label(record) -> str:
    return f"{record._meta.label} {record.natural_key()!r}"
