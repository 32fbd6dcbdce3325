"""The orderings each list offers, as `?ordering=` names them, and the keyset condition of each.

A model declares its sort keys once (`sort_keys`, `default_sort`; models/sorting.py), and its
indexes on the same expressions. Only those orderings are offered: any other (an ordering across a
join, several fields) would sort the whole table on every page at archive scale, so it is a 400
naming the ones that exist, not silently ignored.
"""

from dataclasses import dataclass
from functools import cache

from django.db.models import Q
from rest_framework.exceptions import ValidationError

from corpus_app.models.sorting import SortKey

ORDERING_PARAM = "ordering"
PRIMARY_KEY = SortKey("id")


@dataclass(frozen=True)
class Ordering:
    """One offered ordering: its name (`-published_date`), its keys ending with the id, and its direction."""

    name: str
    keys: tuple[SortKey, ...]
    descending: bool

    def aliases(self) -> dict:
        """The keys as named expressions, so the order and the cursor's condition compile alike."""
        return {f"keyset_{i}": key.expression for i, key in enumerate(self.keys)}

    def order(self, queryset, *, backwards: bool = False):
        descending = self.descending != backwards
        return queryset.alias(**self.aliases()).order_by(*(f"{'-' if descending else ''}{a}" for a in self.aliases()))

    def key_of(self, row) -> list:
        return [key.value_of(row) for key in self.keys]

    def after(self, values: list, *, backwards: bool = False) -> Q:
        """Rows strictly after `values` in this order (before, if backwards), written as
        k1 >= v1 AND (k1 > v1 OR (k2 >= v2 AND (k2 > v2 OR ...))): its leading `k1 >= v1` is an
        Index Cond on the first column. The equivalent `k1 > v1 OR (k1 = v1 AND ...)` has none, and
        PostgreSQL walks the index from its start to the cursor."""
        greater = "lt" if self.descending != backwards else "gt"
        aliases = list(self.aliases())
        condition = Q(**{f"{aliases[-1]}__{greater}": values[-1]})
        for alias, value in zip(reversed(aliases[:-1]), reversed(values[:-1]), strict=True):
            condition = Q(**{f"{alias}__{greater}e": value}) & (Q(**{f"{alias}__{greater}": value}) | condition)
        return condition


@cache
def orderings_of(model) -> dict[str, Ordering]:
    """Every ordering of `model`'s lists by name, each ascending and descending ("-name")."""
    offered = {}
    for name, keys in model.sort_keys.items():
        for descending in (False, True):
            label = f"-{name}" if descending else name
            offered[label] = Ordering(label, (*keys, PRIMARY_KEY), descending)
    return offered


def ordering_from(model, value: str | None) -> Ordering:
    """The ordering a request asks for (`?ordering=`), the model's default without one; 400 if not offered."""
    offered = orderings_of(model)
    if not value:
        return offered[model.default_sort]
    if value not in offered:
        raise ValidationError(
            {ORDERING_PARAM: [f"“{value}” is not an ordering of this list. Use one of: {', '.join(offered)}."]}
        )
    return offered[value]


def ordering_parameter(model) -> dict:
    """The OpenAPI description of `?ordering=` for lists of `model`."""
    return {
        "name": ORDERING_PARAM,
        "in": "query",
        "required": False,
        "description": (
            f"Sort order; `-` for descending. Default: `{model.default_sort}`. Only orderings an index "
            "serves are offered; any other value is a 400."
        ),
        "schema": {"type": "string", "enum": list(orderings_of(model))},
    }
