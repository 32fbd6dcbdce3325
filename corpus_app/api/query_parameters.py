"""Strict query strings: a parameter a list does not take is a 400 naming those it takes.

Ignoring one silently gives a wrong answer with no error: `/api/experts/?visit=1` (experts have no
visit filter) answered every expert, `?updated_after=` (the filter is `updated_since`, or none) the
whole list. A researcher cannot tell a filter that matched everything from one that was never
applied, so each endpoint names what it takes and refuses anything else.
"""

from functools import cache

from rest_framework.exceptions import ValidationError

# Taken everywhere: DRF's choice of renderer (?format=json, csv, api).
EVERYWHERE = frozenset({"format"})


def check_query_parameters(request, allowed: set[str]) -> None:
    unknown = sorted(set(request.query_params) - allowed - EVERYWHERE)
    if unknown:
        takes = ", ".join(sorted(allowed | EVERYWHERE))
        raise ValidationError({name: [f"Not a parameter of this endpoint. It takes: {takes}."] for name in unknown})


@cache
def filter_parameters(filterset_class) -> frozenset[str]:
    """The query parameters a FilterSet reads: a range filter's widget reads two (published_after, _before)."""
    names = set()
    for name, filter_field in filterset_class.base_filters.items():
        # From the field's class, not `filter_field.field`: building it here would cache it on the
        # class's filter, before BoundedFilterBackend sets each request's bounds.
        widget = filter_field.extra.get("widget") or filter_field.field_class.widget
        suffixes = getattr(widget, "suffixes", None)
        names |= {f"{name}_{suffix}" if suffix else name for suffix in suffixes} if suffixes else {name}
    return frozenset(names)
