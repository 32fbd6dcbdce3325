"""The record of each kind in an archive file: which fields, in what order, and their JSON values.

Field lists come from the models' `curated_fields`, so a field added to a model reaches the archive
without an edit here. See the package docstring for the file layout.
"""

import datetime
from dataclasses import dataclass

from corpus_app.models import Article, City, Expert, Outlet, Quote, Visit, VisitParticipant
from corpus_app.services.history import ARCHIVE_IMPORT_REASON

FORMAT_NAME = "corpus-archive"
FORMAT_VERSION = 1
HEADER = {"format": FORMAT_NAME, "version": FORMAT_VERSION}
STAMPS = ("created_at", "updated_at", "version")
IMPORT_REASON = ARCHIVE_IMPORT_REASON  # the history pages say "archive import" for it


@dataclass(frozen=True)
class Kind:
    """One kind of record: its model and, for rows nested in a parent's record, the parent's key."""

    name: str
    model: type
    parent_field: str | None = None  # the relation to the record this one is nested in
    nested: tuple[tuple[str, "Kind"], ...] = ()  # (key in this record, kind of the rows under it)

    @property
    def fields(self) -> tuple[str, ...]:
        return (*(name for name in self.model.curated_fields if name != self.parent_field), *STAMPS)

    def field(self, name):
        return self.model._meta.get_field(name)


PARTICIPANT = Kind("participant", VisitParticipant, parent_field="visit")
QUOTE = Kind("quote", Quote, parent_field="article")
# In file order: a record refers only to records of kinds before it.
TOP_KINDS = (
    Kind("outlet", Outlet),
    Kind("city", City),
    Kind("expert", Expert),
    Kind("visit", Visit, nested=(("participants", PARTICIPANT),)),
    Kind("article", Article, nested=(("quotes", QUOTE),)),
)
KINDS_BY_NAME = {kind.name: kind for kind in TOP_KINDS}
COUNTED = ("outlet", "city", "expert", "visit", "participant", "article", "quote")


def json_value(value):
    """A field's value as the archive writes it: dates ISO 8601, datetimes in UTC to the microsecond."""
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return value
