"""Query-string filters for the API: the questions analysts ask of each list.

Relations are filtered by id. Dates are partial (see models/dates.py): a range compares the stored
first day of each date's period, so a visit known only as "2016" counts as 1 January 2016.
"""

import calendar
import datetime

from django import forms
from django.db.models import Q
from django_countries import countries
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field

from corpus_app.api.whole_numbers import MESSAGE as WHOLE_NUMBER
from corpus_app.api.whole_numbers import WholeNumberFormField, whole_number
from corpus_app.models import Article, City, Expert, ExpertKind, Outlet, Quote, QuoteKind, Visit
from corpus_app.models.article import BY_DATE
from corpus_app.models.dates import UNDATED, DatePrecision
from corpus_app.models.sorting import EARLIEST_DATE
from corpus_app.models.visit import BY_START, ParticipantRole, VisitKind, VisitParticipant, VisitStatus

BIGGEST_ID = 2**63 - 1  # a bigint: larger numbers name no row, and PostgreSQL would refuse to compare them
ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": BIGGEST_ID}
MAX_ALL_OF = 10  # ids one many-to-many filter takes at once: each is a join


@extend_schema_field(ID_SCHEMA)
class IdFilter(filters.NumberFilter):
    """Rows related to the record with this id. An id that names no record matches nothing (it is not
    an error, and costs no query to check); anything but a whole number in ASCII digits is a 400."""

    field_class = WholeNumberFormField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=BIGGEST_ID, **kwargs)


class AllOfIdsField(forms.Field):
    """Every value of a repeated parameter (`?visit=3&visit=5`), each an id."""

    widget = forms.MultipleHiddenInput  # reads them all, where a plain input reads the last

    def to_python(self, value):
        values = [item for item in (value or []) if item != ""]
        if len(values) > MAX_ALL_OF:
            raise forms.ValidationError(f"At most {MAX_ALL_OF} ids at once.", code="max_ids")
        try:
            ids = [whole_number(item) for item in values]
        except ValueError:
            raise forms.ValidationError(WHOLE_NUMBER, code="invalid") from None
        if any(not 1 <= id_ <= BIGGEST_ID for id_ in ids):
            raise forms.ValidationError(f"An id is from 1 to {BIGGEST_ID}.", code="invalid")
        return list(dict.fromkeys(ids))


@extend_schema_field({"type": "array", "items": ID_SCHEMA, "maxItems": MAX_ALL_OF})
class AllOfIdsFilter(filters.Filter):
    """Rows related to every record named: `?visit=3&visit=5` is the articles covering both visits.

    All, not any: it is what a many-to-many facet's counts count (facets.py), so that a facet's link,
    which adds its value to those given, lists as many rows as the facet said. One id is the filter
    on one relation it always was; each further id is a join of its own.
    """

    field_class = AllOfIdsField
    repeatable = True  # query_parameters.py lets it be given more than once

    def filter(self, queryset, value):
        for id_ in value or ():
            queryset = queryset.filter(**{self.field_name: id_})
        return queryset.distinct() if value and self.distinct else queryset


def in_sort_key_range(queryset, key, start=None, stop=None):
    """Rows whose date sort key (models/sorting.py) is within [start, stop]; undated rows never are.

    Compared on the key's expression rather than the column, so that the index ordering the list by
    that date finds the range too: one index range scan in the list's default order, with no sort.
    """
    condition = Q(range_key__gt=EARLIEST_DATE)  # the undated, whose key is the sentinel
    if start is not None:
        condition &= Q(range_key__gte=start)
    if stop is not None:
        condition &= Q(range_key__lte=stop)
    return queryset.alias(range_key=key.expression).filter(condition)


# Years from 0001: a date typed 0023 is stored and faceted (the facet's link must work), 0000 is no year.
MONTH_PATTERN = r"^((000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})(-(0[1-9]|1[0-2]))?|undated)$"


@extend_schema_field({"type": "string", "pattern": MONTH_PATTERN, "example": "2023-02"})
class PartialMonthFilter(filters.CharFilter):
    """Rows dated in a month facet's bucket (facets.py): `2023-02` is a date known to the month or day in
    February 2023; `2016` a date known only to the year 2016 (never in 2016-01); `undated` no date."""

    field_class = forms.RegexField

    def __init__(self, *args, precision_field: str, **kwargs):
        self.precision_field = precision_field
        message = "A month (YYYY-MM), a year (YYYY) or `undated`."
        super().__init__(*args, regex=MONTH_PATTERN, error_messages={"invalid": message}, **kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        date, precision = self.field_name, self.precision_field
        if value == UNDATED:
            return queryset.filter(**{f"{date}__isnull": True})
        if len(value) == 4:
            return queryset.filter(**{date: datetime.date(int(value), 1, 1), precision: DatePrecision.YEAR})
        year, month = int(value[:4]), int(value[5:])
        first = datetime.date(year, month, 1)
        last = datetime.date(year, month, calendar.monthrange(year, month)[1])
        return queryset.filter(
            **{f"{date}__range": (first, last), f"{precision}__in": (DatePrecision.MONTH, DatePrecision.DAY)}
        )


class CountryCodeField(forms.CharField):
    """An ISO 3166-1 alpha-2 code in either case (`az` is AZ); a code no country has is a 400, not an empty list."""

    def to_python(self, value):
        code = super().to_python(value).upper()
        if code and code not in countries:
            raise forms.ValidationError("Not an ISO 3166-1 alpha-2 country code (e.g. AZ).", code="invalid")
        return code


@extend_schema_field({"type": "string", "pattern": "^[A-Za-z]{2}$", "example": "AZ"})
class CountryFilter(filters.CharFilter):
    """Rows of a country, by code: the same on every list (experts, cities, visits' host countries)."""

    field_class = CountryCodeField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", "ISO 3166-1 alpha-2 code, in either case, e.g. AZ.")
        super().__init__(*args, **kwargs)


class UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 time, sent to the database in UTC: PostgreSQL refuses offsets beyond ±15:59 that
    Python reads (a 500), and a time past year 9999 once in UTC is no time a database holds."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None or moment.tzinfo is None:
            return moment
        try:
            return moment.astimezone(datetime.UTC)
        except OverflowError:
            raise forms.ValidationError("This time is out of range.", code="invalid") from None


class UtcDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


class CorpusFilterSet(filters.FilterSet):
    """Filters every list has: `updated_since`, for a client that mirrors the corpus (README, "Recipes")."""

    updated_since = UtcDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Records whose representation changed at or after this time (ISO 8601, e.g. "
        "2026-01-31T12:00:00Z): their own edits, and changes to what they embed (a quote's speaker renamed) "
        "or count. Pass the `next_since` of /api/deletions/ read at the start of the previous round.",
    )


class OutletFilter(CorpusFilterSet):
    class Meta:
        model = Outlet
        fields = ("updated_since",)


class CityFilter(CorpusFilterSet):
    country = CountryFilter()

    class Meta:
        model = City
        fields = ("country", "updated_since")


class ArticleFilter(CorpusFilterSet):
    outlet = IdFilter(help_text="Outlet id.")
    published = filters.DateFromToRangeFilter(
        method="filter_published", help_text="published_after / published_before (YYYY-MM-DD, inclusive)."
    )
    visit = AllOfIdsFilter(
        field_name="visits", help_text="Visit id; repeated (`visit=3&visit=5`), articles covering all of them."
    )
    expert = AllOfIdsFilter(
        field_name="quotes__speaker",
        distinct=True,
        help_text="Id of an expert the article quotes; repeated, articles quoting all of them.",
    )
    language = filters.CharFilter(help_text="Language tag, e.g. en.")
    section = filters.CharFilter(lookup_expr="iexact", help_text="The section, the whole name in any case: politics.")
    month = PartialMonthFilter(
        field_name="published_date",
        precision_field="published_date_precision",
        help_text="Published in this month (YYYY-MM), or dated only to this year (YYYY), or `undated`: the values "
        "of the month facet.",
    )

    class Meta:
        model = Article
        fields = ("outlet", "published", "visit", "expert", "language", "section", "month", "updated_since")

    def filter_published(self, queryset, name, value):
        return in_sort_key_range(queryset, BY_DATE, value.start, value.stop)


class QuoteFilter(CorpusFilterSet):
    speaker = IdFilter(help_text="Expert id.")
    relayed_by = IdFilter(help_text="Id of the expert the article carries the words through.")
    article = IdFilter(help_text="Article id.")
    visit = IdFilter(help_text="Visit id.")
    published = filters.DateFromToRangeFilter(
        field_name="article__published_date",
        help_text="published_after / published_before: the quoting article's date (YYYY-MM-DD, inclusive).",
    )
    kind = filters.ChoiceFilter(choices=QuoteKind.choices)
    speaker_kind = filters.ChoiceFilter(field_name="speaker__kind", choices=ExpertKind.choices)
    outlet = IdFilter(field_name="article__outlet", help_text="Id of the outlet of the quoting article.")
    month = PartialMonthFilter(
        field_name="article__published_date",
        precision_field="article__published_date_precision",
        help_text="The quoting article published in this month (YYYY-MM), or dated only to this year (YYYY), "
        "or `undated`: the values of the month facet.",
    )

    class Meta:
        model = Quote
        fields = (
            "speaker", "relayed_by", "article", "visit", "published", "kind", "speaker_kind", "outlet", "month",
            "updated_since",
        )  # fmt: skip


class ExpertFilter(CorpusFilterSet):
    kind = filters.ChoiceFilter(choices=ExpertKind.choices)
    country = CountryFilter()
    affiliation = filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Expert
        fields = ("kind", "country", "affiliation", "updated_since")


class VisitFilter(CorpusFilterSet):
    date_after = filters.DateFilter(
        method="filter_date_after", help_text="Visits still going on or after this day (YYYY-MM-DD)."
    )
    date_before = filters.DateFilter(
        method="filter_date_before", help_text="Visits begun on or before this day (YYYY-MM-DD)."
    )
    kind = filters.ChoiceFilter(choices=VisitKind.choices)
    status = filters.ChoiceFilter(choices=VisitStatus.choices)
    city = AllOfIdsFilter(field_name="cities", help_text="City id; repeated, visits to all of them.")
    host_country = CountryFilter()
    participant = AllOfIdsFilter(
        field_name="participants",
        distinct=True,
        help_text="Id of a person who travelled or was met; repeated, visits all of them took part in.",
    )
    month = PartialMonthFilter(
        field_name="start_date",
        precision_field="start_date_precision",
        help_text="Begun in this month (YYYY-MM), or dated only to this year (YYYY), or `undated`: the values of "
        "the month facet.",
    )

    class Meta:
        model = Visit
        fields = (
            "date_after", "date_before", "kind", "status", "city", "host_country", "participant", "month",
            "updated_since",
        )  # fmt: skip

    def filter_date_after(self, queryset, name, value):
        # A visit overlaps [value, …) if it ends on or after value; with no end, its start decides.
        return queryset.filter(Q(end_date__gte=value) | Q(end_date__isnull=True, start_date__gte=value))

    def filter_date_before(self, queryset, name, value):
        return in_sort_key_range(queryset, BY_START, stop=value)


class VisitParticipantFilter(CorpusFilterSet):
    visit = IdFilter(help_text="Visit id.")
    person = IdFilter(help_text="Expert id.")
    role = filters.ChoiceFilter(choices=ParticipantRole.choices)

    class Meta:
        model = VisitParticipant
        fields = ("visit", "person", "role", "updated_since")
