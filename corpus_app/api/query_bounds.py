"""Bounds on what one query string can ask of the database.

`?search=` runs one case-insensitive LIKE per word per searched field (an article's title, subtitle,
body, author and outlet name): 2,000 words held a PostgreSQL backend for minutes and overflowed
SQLite's expression depth. A free-text filter of 60,000 characters is a LIKE pattern SQLite refuses.
Both are refused with 400 and a message on the parameter; the schema states the same bounds
(maxLength, and for search a pattern), so a client can check before it asks. The statement timeout
(transaction_bounds.py) bounds whatever a valid query still costs.

A search word is a run of characters between separators: white space (as Python or JavaScript
understands it) and commas. DRF splits a search the same way, except that a quoted phrase is one
term, so a search of at most 10 words never makes more than 10 terms.
"""

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters import filters as filter_types
from django_filters import utils as filter_utils
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from rest_framework.exceptions import ValidationError
from rest_framework.filters import SearchFilter

from corpus_app.models.search_text import Searchable
from corpus_app.search import engine
from corpus_app.search.query import QueryError

SEARCH_MAX_LENGTH = 300
SEARCH_MAX_WORDS = 10
SEARCH_MAX_WORD_LENGTH = 100
TEXT_FILTER_MAX_LENGTH = 300

# Every character that Python's str.split() or a JavaScript \s treats as white space, and the comma;
# spelt out rather than \s, whose meaning differs between the two, so the schema's pattern and this
# check agree on every string. A word cannot hold a NUL either, which DRF refuses in a search.
_SEPARATORS = r",\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_SEP = f"[{_SEPARATORS}]"
_WORD = f"[^{_SEPARATORS}\\x00]"
SEARCH_PATTERN = (
    f"^{_SEP}*(?:{_WORD}{{1,{SEARCH_MAX_WORD_LENGTH}}}{_SEP}+){{0,{SEARCH_MAX_WORDS - 1}}}"
    f"(?:{_WORD}{{1,{SEARCH_MAX_WORD_LENGTH}}}{_SEP}*)?$"
)
# The same, with at least one word: a required search (/api/search/'s q).
SEARCH_REQUIRED_PATTERN = (
    f"^{_SEP}*(?:{_WORD}{{1,{SEARCH_MAX_WORD_LENGTH}}}{_SEP}+){{0,{SEARCH_MAX_WORDS - 1}}}"
    f"{_WORD}{{1,{SEARCH_MAX_WORD_LENGTH}}}{_SEP}*$"
)
_SEARCH_RE = re.compile(SEARCH_PATTERN)
_WORDS_RE = re.compile(f"[^{_SEPARATORS}]+")

SEARCH_DESCRIPTION = (
    'Words to find, each in any of the text fields this list searches (case-insensitive); "quoted words" '
    f"are found as one phrase. At most {SEARCH_MAX_WORDS} words of at most {SEARCH_MAX_WORD_LENGTH} "
    f"characters, {SEARCH_MAX_LENGTH} characters in all; words are separated by white space or commas."
)


SEARCH_SYNTAX = (
    "Words to find, all of them, in any spelling: accents, Azerbaijani, Turkish and Russian romanisations "
    "(Aliyev, Aliev, Əliyev) and curated synonyms (Karabakh, Garabagh) match alike, and so do misspelt "
    'names of experts (PostgreSQL). "Quoted words" are a phrase, `or` between two terms accepts either, '
    "`-word` excludes, `word*` matches every word starting so (at least 3 letters). At most "
    f"{SEARCH_MAX_WORDS} words of at most {SEARCH_MAX_WORD_LENGTH} characters, {SEARCH_MAX_LENGTH} characters in all."
)


def search_bounds_error(value: str) -> str | None:
    """Why `value` is not a search this API runs, or None if it is one."""
    if len(value) > SEARCH_MAX_LENGTH:
        return f"A search is at most {SEARCH_MAX_LENGTH} characters; this one has {len(value):,}."
    if _SEARCH_RE.match(value):
        return None
    words = _WORDS_RE.findall(value)
    if len(words) > SEARCH_MAX_WORDS:
        return (
            f"A search is at most {SEARCH_MAX_WORDS} words; this one has {len(words):,}. "
            "Search for fewer, more distinctive words."
        )
    return f"A search word is at most {SEARCH_MAX_WORD_LENGTH} characters; one here has {max(map(len, words)):,}."


class BoundedSearchFilter(SearchFilter):
    """`?search=`: on the searchable lists (articles, quotes, experts, visits), the search engine's
    matching (corpus_app/search/), as /api/search/ matches, in the list's own order; elsewhere (outlets,
    cities) DRF's LIKE over the view's search_fields. Both within the bounds above."""

    def filter_queryset(self, request, queryset, view):
        if not issubclass(queryset.model, Searchable):
            return super().filter_queryset(request, queryset, view)
        self.get_search_terms(request)  # the bounds
        text = request.query_params.get(self.search_param, "").strip()
        if not text:
            return queryset
        try:
            query = engine.parse_search(text)
        except QueryError as error:
            raise ValidationError({self.search_param: [str(error)]}) from None
        return engine.matching(queryset, query)

    def get_search_terms(self, request):
        terms = super().get_search_terms(request)  # DRF's own checks first: a NUL is refused there
        error = search_bounds_error(request.query_params.get(self.search_param, ""))
        if error:
            raise ValidationError({self.search_param: [error]})
        return terms

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.search_param:
                searchable = issubclass(view.queryset.model, Searchable)
                parameter["description"] = SEARCH_SYNTAX if searchable else SEARCH_DESCRIPTION
                parameter["schema"] = {"type": "string", "maxLength": SEARCH_MAX_LENGTH, "pattern": SEARCH_PATTERN}
        return parameters


def is_text_filter(filter_field) -> bool:
    """A filter whose value is free text (a name, a section), not a choice, number or date."""
    return isinstance(filter_field, filter_types.CharFilter)


class BoundedFilterBackend(DjangoFilterBackend):
    """django-filter, with every free-text filter's value at most TEXT_FILTER_MAX_LENGTH characters.

    Set here rather than on each filter, so a filter added later is bounded too.
    """

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            # The instance's own copies of its filters: the FilterSet class is left as it was.
            for filter_field in filterset.filters.values():
                if is_text_filter(filter_field):
                    filter_field.extra.setdefault("max_length", TEXT_FILTER_MAX_LENGTH)
        return filterset

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid() and self.raise_exception:
            raise ValidationError(errors_by_parameter(filterset, request.query_params))
        return filterset.qs


def errors_by_parameter(filterset, params) -> dict:
    """The filterset's errors under the parameters sent: a range filter's (`published`) under the one of
    its two (`published_after`, `published_before`) that is wrong, as no parameter is named `published`."""
    errors = {}
    for name, messages in filter_utils.translate_validation(filterset.errors).detail.items():
        filter_field = filterset.filters.get(name)
        suffixes = getattr(filter_field.field.widget, "suffixes", None) if filter_field is not None else None
        if not suffixes:
            errors[name] = messages
            continue
        wrong = {}
        for suffix, part in zip(suffixes, filter_field.field.fields, strict=True):
            try:
                part.clean(params.get(f"{name}_{suffix}"))
            except DjangoValidationError as error:
                wrong[f"{name}_{suffix}"] = error.messages
        errors.update(wrong or {f"{name}_{suffix}": list(messages) for suffix in suffixes})
    return errors


class BoundedFilterExtension(DjangoFilterExtension):
    """The schema of BoundedFilterBackend's parameters: django-filter's, with the bound on free text, and
    the filter's help_text, which drf-spectacular drops when the filter's schema is set with
    @extend_schema_field (IdFilter, PartialMonthFilter: `speaker` had no description)."""

    target_class = BoundedFilterBackend
    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        help_text = filter_field.extra.get("help_text")
        for parameter in parameters:
            if is_text_filter(filter_field):
                parameter["schema"].setdefault("maxLength", TEXT_FILTER_MAX_LENGTH)
            if help_text and not parameter.get("description"):
                parameter["description"] = str(help_text)
            if getattr(filter_field, "repeatable", False):  # `?visit=3&visit=5`, as OpenAPI's form style, exploded
                parameter.update(style="form", explode=True)
        return parameters
