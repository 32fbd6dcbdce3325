"""Strict query strings: a parameter a list does not take is a 400 naming those it takes.

Ignoring one silently gives a wrong answer with no error: `/api/experts/?visit=1` (experts have no
visit filter) answered every expert, `?updated_after=` (a filter no list has) the whole list. A
researcher cannot tell a filter that matched everything from one that was never applied, so each
endpoint names what it takes and refuses anything else. So with a parameter given twice (`?speaker=3&
speaker=5`): unless it is one whose values add up, it is a 400, never the last value read alone.
"""

from functools import cache

from rest_framework.exceptions import ValidationError

from corpus_app.api.orderings import ORDERING_PARAM
from corpus_app.api.shapes import EXPAND, FIELDS

# Taken everywhere: DRF's choice of renderer (?format=json, csv, api).
EVERYWHERE = frozenset({"format"})
# Given more than once, these add up (`facet=visit&facet=month`, `type=quote&type=article`, as their commas
# do). Any other parameter given twice is a 400: reading the last (or the first) would answer one of two
# questions asked, silently. A filter may be repeatable too (filters.AllOfIdsFilter).
REPEATABLE = frozenset({"facet", FIELDS, EXPAND, "type"})
# A keyset page's (pagination.py).
PAGE_PARAMETERS = frozenset({"cursor", "page_size", "count", ORDERING_PARAM})
# What a client sending one of these where it is not taken means, and what to do instead.
INSTEAD = {"page": "Pages are not numbered: follow the `next` link of the previous page (its `cursor`)."}


def shape_parameters(serializer_class) -> frozenset[str]:
    """What a read of records takes to shape its answer (shapes.py): `fields`, and `expand` where a relation expands."""
    return frozenset({FIELDS, EXPAND} if serializer_class.expandable else {FIELDS})


TRUE, FALSE = ("true", "1"), ("false", "0", "")


def yes_or_no(params, name: str, to: str) -> bool:
    """A yes-or-no parameter (`?count=true`): true or 1, false, 0 or nothing, in any case; else a 400."""
    value = params.get(name, "").lower()
    if value in TRUE or value in FALSE:
        return value in TRUE
    raise ValidationError({name: [f"Give `true` (or 1) {to}, `false` (or 0) or nothing not to."]})


def check_query_parameters(request, allowed: set[str], repeatable: frozenset[str] = frozenset()) -> None:
    """A 400 for a parameter the endpoint does not take, or one given twice that does not add up."""
    params = request.query_params
    unknown = sorted(set(params) - allowed - EVERYWHERE)
    if unknown:
        takes = ", ".join(sorted(allowed | EVERYWHERE))
        message = f"Not a parameter of this endpoint. It takes: {takes}."
        raise ValidationError({name: [INSTEAD.get(name, message)] for name in unknown})
    repeated = {name: len(params.getlist(name)) for name in params if len(params.getlist(name)) > 1}
    refused = sorted(set(repeated) - REPEATABLE - repeatable)
    if refused:
        raise ValidationError({name: [f"Given {repeated[name]} times: it takes one value."] for name in refused})


def repeatable_filters(view) -> frozenset[str]:
    """The filters of a list that add up when repeated (filters.AllOfIdsFilter: `?visit=3&visit=5`)."""
    filterset_class = getattr(view, "filterset_class", None)
    if filterset_class is None:
        return frozenset()
    return frozenset(name for name, f in filterset_class.base_filters.items() if getattr(f, "repeatable", False))


def list_parameters(view) -> frozenset[str]:
    """What a list takes: its filters, its search if it has one, and paging.

    A related list (/api/experts/{id}/quotes/) takes those of the list of its records (/api/quotes/):
    its action sets the same filterset_class (views.py).
    """
    model = getattr(view, "listed_model", None) or view.queryset.model
    return _list_parameters(getattr(view, "filterset_class", None), model, bool(getattr(view, "search_fields", None)))


@cache  # once per FilterSet: a list's parameters are asked on every request
def _list_parameters(filterset_class, model, has_search_fields: bool) -> frozenset[str]:
    from corpus_app.api.facets import FACET_PARAM, facet_names
    from corpus_app.models.search_text import Searchable

    filters = _filter_parameters(filterset_class) if filterset_class else frozenset()
    searchable = issubclass(model, Searchable) or has_search_fields
    facets = {FACET_PARAM} if facet_names(model) else frozenset()
    return filters | ({"search"} if searchable else frozenset()) | facets | PAGE_PARAMETERS


def _filter_parameters(filterset_class) -> frozenset[str]:
    """The query parameters a FilterSet reads: a range filter's widget reads two (published_after, _before)."""
    names = set()
    for name, filter_field in filterset_class.base_filters.items():
        # From the field's class, not `filter_field.field`: building it here would cache it on the
        # class's filter, before BoundedFilterBackend sets each request's bounds.
        widget = filter_field.extra.get("widget") or filter_field.field_class.widget
        suffixes = getattr(widget, "suffixes", None)
        names |= {f"{name}_{suffix}" if suffix else name for suffix in suffixes} if suffixes else {name}
    return frozenset(names)
