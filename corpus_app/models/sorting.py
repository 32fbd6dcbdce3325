"""Sort keys without NULLs, declared once for the API's keyset pagination and the indexes serving it.

Keyset pagination selects "the rows after this key", which needs a total order with no NULLs: NULL
is neither greater nor smaller than anything, so a row with a NULL key would never come after any
cursor. A nullable field therefore sorts as COALESCE(field, sentinel), the sentinel being below every
real value (so undated articles come first oldest-first and last newest-first, as before), and its
index is on that same expression, or PostgreSQL could not use it for the order or the cursor.

Every key ends with the primary key, in the same direction, so that the key is unique and one index
(scanned forwards or backwards) serves an ordering both ways.

PostgreSQL matches the expression indexes: psycopg2 sends the sentinel as a literal. SQLite sorts and
pages correctly but cannot use them, as Django binds the sentinel as a parameter there.
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Coalesce

EARLIEST_DATE = datetime.date.min  # 0001-01-01: below every date a source can give
BELOW_ANY_COUNT = -1  # below every value of a PositiveIntegerField


@dataclass(frozen=True)
class SortKey:
    """One column of a sort: a field (or a count the listing queryset provides) and, if the field is
    nullable, the sentinel NULL sorts as."""

    field: str
    null_as: object = None

    @property
    def expression(self):
        if self.null_as is None:
            return F(self.field)
        output = models.DateField() if isinstance(self.null_as, datetime.date) else models.IntegerField()
        return Coalesce(F(self.field), Value(self.null_as, output_field=output), output_field=output)

    def value_of(self, row):
        """This key's value for a row read from the database (the sentinel for NULL)."""
        value = getattr(row, self.field)
        return self.null_as if value is None else value


def keyset_index(name: str, *keys: SortKey | str) -> models.Index:
    """A B-tree index on these keys (field names for filters, SortKeys for sorts) and then the id: the
    index an ordering on them, or a filter on the leading ones in that ordering, walks without a sort."""
    expressions = [F(key) if isinstance(key, str) else key.expression for key in keys]
    return models.Index(*expressions, F("id"), name=name)
