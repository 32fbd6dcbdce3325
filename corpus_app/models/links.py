"""A record that others list in a many-to-many field of theirs (a city among a visit's cities, a visit
among an article's visits) is not deleted while they list it: as PROTECT for a foreign key, but for links.

Deleting it would take it out of them with no entry in their history. Django deletes the link rows
without an m2m_changed signal, so simple-history, which records links on the record holding the field
(a visit's history holds its cities), writes nothing: the holder's latest entry still lists the link,
and its next edit appears to remove it, in the name of whoever makes that edit. Nor would restoring the
deleted record from its own history bring the links back, since they are not in it. Taken out of each
holder first (an edit of the holder, recorded and revertable), the record deletes.

Links held by the deleted record itself (a visit's cities, an article's visits) are in its own history
and come back when it is restored (admin/forms.py). Links through a model of their own (a visit's
participants) are records, protected by their foreign keys.
"""

import itertools
from dataclasses import dataclass

from django.db.models import F, ProtectedError


@dataclass(frozen=True)
class Listing:
    """`holder` lists the record whose pk is `listed_pk` among its `field` (a ManyToManyField)."""

    holder: object
    listed_pk: int
    field: object


def listing_fields(model) -> list:
    """The many-to-many fields of other models that list records of `model`, linked by an automatic table."""
    return [
        relation.field
        for relation in model._meta.related_objects
        if relation.many_to_many and relation.through._meta.auto_created
    ]


def listings_of(model, pks) -> list[Listing]:
    """Every record that lists one of `pks`, once for each it lists; one query per field that may list them."""
    found = []
    for field in listing_fields(model):
        holders = field.model._base_manager.filter(**{f"{field.name}__in": pks})
        for holder in holders.annotate(listed_pk=F(field.name)).order_by("pk"):
            found.append(Listing(holder, holder.listed_pk, field))
    return found


class StillListedError(ProtectedError):
    """A delete refused because other records list the record; its message says so for people."""


def still_listed_error(model, pk) -> StillListedError | None:
    """Why the record of `model` with `pk` may not be deleted, if others list it; one COUNT per field."""
    counted, holding = [], []
    for field in listing_fields(model):
        holders = field.model._base_manager.filter(**{field.name: pk})
        if count := holders.count():
            counted.append((field, count))
            holding.append(holders)
    return StillListedError(still_listed_message(counted), itertools.chain(*holding)) if counted else None


def still_listed_message(counted: list) -> str:
    """`counted`: (field, number of records of its model listing the record) for each field that does."""
    one = len(counted) == 1 and counted[0][1] == 1
    who = "; ".join(
        f"1 {field.model._meta.verbose_name} still lists it among its {field.verbose_name}"
        if count == 1
        else f"{count} {field.model._meta.verbose_name_plural} still list it among their {field.verbose_name}"
        for field, count in counted
    )
    them, their = (f"the {counted[0][0].model._meta.verbose_name}", "its") if one else ("them", "their")
    return (
        f"Not deleted: {who}. Remove it from {them} first: deleting it would take it out of {them} with no entry "
        f"in {their} history, and restoring it would not put it back."
    )
