"""Query-string filters for the API: the questions analysts ask of each list.

Relations are filtered by id. Dates are partial (see models/dates.py): a range compares the stored
first day of each date's period, so a visit known only as "2016" counts as 1 January 2016.
"""

from django.db.models import Q
from django_filters import rest_framework as filters

from corpus_app.models import Article, City, Expert, ExpertKind, Outlet, Quote, QuoteKind, Visit
from corpus_app.models.visit import VisitKind, VisitStatus


class ArticleFilter(filters.FilterSet):
    outlet = filters.ModelChoiceFilter(queryset=Outlet.objects.all(), help_text="Outlet id.")
    published = filters.DateFromToRangeFilter(
        field_name="published_date", help_text="published_after / published_before (YYYY-MM-DD, inclusive)."
    )
    visit = filters.ModelChoiceFilter(field_name="visits", queryset=Visit.objects.all(), help_text="Visit id.")
    expert = filters.ModelChoiceFilter(
        field_name="quotes__speaker",
        queryset=Expert.objects.all(),
        distinct=True,
        help_text="Id of an expert the article quotes.",
    )
    language = filters.CharFilter(help_text="Language tag, e.g. en.")
    section = filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Article
        fields = ("outlet", "published", "visit", "expert", "language", "section")


class QuoteFilter(filters.FilterSet):
    speaker = filters.ModelChoiceFilter(queryset=Expert.objects.all(), help_text="Expert id.")
    relayed_by = filters.ModelChoiceFilter(
        queryset=Expert.objects.all(), help_text="Id of the expert the article carries the words through."
    )
    article = filters.ModelChoiceFilter(queryset=Article.objects.all(), help_text="Article id.")
    visit = filters.ModelChoiceFilter(queryset=Visit.objects.all(), help_text="Visit id.")
    published = filters.DateFromToRangeFilter(
        field_name="article__published_date",
        help_text="published_after / published_before: the quoting article's date (YYYY-MM-DD, inclusive).",
    )
    kind = filters.ChoiceFilter(choices=QuoteKind.choices)
    speaker_kind = filters.ChoiceFilter(field_name="speaker__kind", choices=ExpertKind.choices)

    class Meta:
        model = Quote
        fields = ("speaker", "relayed_by", "article", "visit", "published", "kind", "speaker_kind")


class ExpertFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=ExpertKind.choices)
    country = filters.CharFilter(help_text="ISO 3166-1 alpha-2 code, e.g. AZ.")
    affiliation = filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Expert
        fields = ("kind", "country", "affiliation")


class VisitFilter(filters.FilterSet):
    date_after = filters.DateFilter(
        method="filter_date_after", help_text="Visits still going on or after this day (YYYY-MM-DD)."
    )
    date_before = filters.DateFilter(
        method="filter_date_before", help_text="Visits begun on or before this day (YYYY-MM-DD)."
    )
    kind = filters.ChoiceFilter(choices=VisitKind.choices)
    status = filters.ChoiceFilter(choices=VisitStatus.choices)
    city = filters.ModelChoiceFilter(field_name="cities", queryset=City.objects.all(), help_text="City id.")
    host_country = filters.CharFilter(help_text="ISO 3166-1 alpha-2 code, e.g. AZ.")
    participant = filters.ModelChoiceFilter(
        field_name="participants",
        queryset=Expert.objects.all(),
        distinct=True,
        help_text="Id of a person who travelled or was met.",
    )

    class Meta:
        model = Visit
        fields = ("date_after", "date_before", "kind", "status", "city", "host_country", "participant")

    def filter_date_after(self, queryset, name, value):
        # A visit overlaps [value, …) if it ends on or after value; with no end, its start decides.
        return queryset.filter(Q(end_date__gte=value) | Q(end_date__isnull=True, start_date__gte=value))

    def filter_date_before(self, queryset, name, value):
        return queryset.filter(start_date__lte=value)
