"""GET /api/stats/timeline/: quotes or articles per day, month or year, under any filter of their list."""

import copy
from dataclasses import asdict
from types import SimpleNamespace

from drf_spectacular.extensions import OpenApiFilterExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from corpus_app.api import filters
from corpus_app.api.query_bounds import BoundedFilterBackend, BoundedSearchFilter
from corpus_app.api.query_parameters import check_query_parameters, list_parameters, repeatable_filters
from corpus_app.api.renderers import CSVRenderer
from corpus_app.api.transaction_bounds import BoundedReadView
from corpus_app.models import Quote
from corpus_app.services.counts_over_time import COUNTED, MAX_PERIODS, PERIODS, SECTIONS, counts_over_time

# The list whose filters each count takes: counting quotes filters as /api/quotes/ does.
LISTS = {
    "quotes": SimpleNamespace(queryset=COUNTED["quotes"][0].objects.all(), filterset_class=filters.QuoteFilter),
    "articles": SimpleNamespace(queryset=COUNTED["articles"][0].objects.all(), filterset_class=filters.ArticleFilter),
}
PAGING = {"cursor", "page_size", "count", "page", "ordering", "facet"}  # a list's, not a count's


class TimelineParamsSerializer(serializers.Serializer):
    by = serializers.ChoiceField(choices=PERIODS, default="month", help_text="The length of a period.")
    count = serializers.ChoiceField(
        choices=list(COUNTED),
        default="quotes",
        help_text="What is counted: the filters and `search` of its list apply (each says with which `count`).",
    )


class PeriodSerializer(serializers.Serializer):
    period = serializers.CharField(
        help_text="ISO 8601: 2023, 2023-02 or 2023-02-27; in `before` and `after`, the interval from the first date "
        "to the last, 1023/1023-05-04."
    )
    label = serializers.CharField()
    count = serializers.IntegerField(help_text="Rows matching the filters in the period.")
    total = serializers.IntegerField(help_text="All rows of the kind in the period: the press's volume.")
    share = serializers.FloatField(allow_null=True, help_text="count / total (null when total is 0).")


class TimelineSerializer(serializers.Serializer):
    counted = serializers.CharField()
    by = serializers.CharField()
    periods = PeriodSerializer(
        many=True,
        help_text="Every period from the first to the last counted, zeros too; at most "
        f"{MAX_PERIODS:,} (see `before`).",
    )
    less_precise = PeriodSerializer(
        many=True,
        help_text="Dates known less precisely than `by` (a year, at months), each in its own period; when `before` "
        "or `after` is given, those starting within the periods covered.",
    )
    undated = serializers.IntegerField(help_text="Rows without a date.")
    before = PeriodSerializer(
        allow_null=True,
        help_text=f"When the dates counted span more than {MAX_PERIODS:,} periods: the rows dated before those "
        "covered, as one period whose `period` is `first/last`, the first and last dates it holds (ISO 8601, at "
        "their precision); `total` is every row of the kind dated before. Else null.",
    )
    after = PeriodSerializer(allow_null=True, help_text="The same, for the rows dated after the periods covered.")


class TimelineRowSerializer(PeriodSerializer):
    """A row of the timeline as CSV: a spreadsheet has no nested lists, so each period, less precise date,
    `before`, `after` and the undated is one row, saying which part of the JSON answer it is."""

    section = serializers.ChoiceField(
        choices=SECTIONS,
        help_text="The part of the JSON answer the row is: `periods` (the axis, in time order; filter on it to "
        "chart), `before` and `after` (their `period` is first/last), `less_precise`, `undated` (always a row, "
        "`period` `undated`, its `total` the corpus's undated rows).",
    )


def csv_rows(timeline) -> list[dict]:
    """A CountsOverTime as TimelineRowSerializer's rows, in the order of its sections()."""
    return [{**asdict(period), "share": period.share, "section": section} for section, period in timeline.sections()]


class TimelineSchema(AutoSchema):
    """The timeline's filters in its schema: those of the lists it counts, as the lists' own schemas give
    them (their FilterSets, filters.py, through the same filter backends), each saying with which `count`
    it applies. Generated, not written out, so that a filter added to a list is documented here as the
    strict-parameter check (list_parameters) starts taking it."""

    def _get_filter_parameters(self):
        # drf-spectacular's step for a view's filters, which it takes only from a list view's own FilterSet.
        by_name: dict[str, dict[str, dict]] = {}
        for counted, listed in LISTS.items():
            taken = list_parameters(listed) - PAGING
            as_list = copy.copy(self)
            as_list.view = listed
            for backend_class in self.view.filter_backends:
                backend = backend_class()
                extension = OpenApiFilterExtension.get_match(backend)
                if extension:
                    parameters = extension.get_schema_operation_parameters(as_list)
                else:
                    parameters = backend.get_schema_operation_parameters(listed)
                for parameter in parameters:
                    if parameter["name"] in taken:
                        by_name.setdefault(parameter["name"], {})[counted] = parameter
        return [parameter_for_counts(by_count) for by_count in by_name.values()]


def parameter_for_counts(by_count: dict[str, dict]) -> dict:
    """One parameter of the timeline from the parameter of that name of each list taking it (by `count`),
    described as applying to those counts only."""
    descriptions = {counted: parameter.get("description") or "" for counted, parameter in by_count.items()}
    counts = " and ".join(f"`count={counted}`" for counted in by_count)
    if len(by_count) < len(LISTS):
        description = _described(f"Only with {counts} (with another `count`, a 400):", descriptions.popitem()[1])
    elif len(set(descriptions.values())) == 1:
        description = _described(f"With {counts} alike:", descriptions.popitem()[1])
    else:
        described = (_described(f"With `count={counted}`:", text) for counted, text in descriptions.items())
        description = "\n\n".join(described)
    schemas = []
    for parameter in by_count.values():
        if parameter["schema"] not in schemas:
            schemas.append(parameter["schema"])
    return {
        **next(iter(by_count.values())),
        "description": description,
        "schema": schemas[0] if len(schemas) == 1 else {"anyOf": schemas},
    }


def _described(applies: str, description: str) -> str:
    # A list of choices ("* `direct` - direct quotation") stays a Markdown list, on lines of its own.
    return f"{applies}\n\n{description}" if description.startswith("* ") else f"{applies} {description}".strip()


class TimelineView(BoundedReadView):
    """Counts over time, normalised by the corpus's volume in each period: counts of what every list shows."""

    read_model = Quote
    filter_backends = [BoundedFilterBackend, BoundedSearchFilter]  # a list's (REST_FRAMEWORK), on LISTS' querysets
    schema = TimelineSchema()

    @extend_schema(
        parameters=[TimelineParamsSerializer],
        responses={(200, "application/json"): TimelineSerializer, (200, "text/csv"): TimelineRowSerializer(many=True)},
        operation_id="stats_timeline",
        description="Quotes (or articles) per day, month or year, with any filter and `search` of /api/quotes/ "
        "(or /api/articles/; each parameter below says with which `count`). Each period also gives the total "
        "of the kind in it and the share the filtered rows are of it. `periods` runs from the first to the last "
        f"period counted, zeros included, at most {MAX_PERIODS:,} of them (about forty years of days). When the "
        f"dates counted span more (a typo year among a decade's), the answer covers the {MAX_PERIODS:,} periods "
        "holding the most counted rows (of equals, the latest) and counts what is dated before and after them in "
        "`before` and `after`, whose `period` names the first and last dates there: narrow to them with "
        "`published_after` and `published_before`, or count by a longer period. As CSV (`format=csv`), one row "
        "per period, less precise date, `before`, `after` and the undated, its `section` naming which.",
    )
    def get(self, request):
        params = TimelineParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        listed = LISTS[params.validated_data["count"]]
        taken = set(TimelineParamsSerializer().fields) | (list_parameters(listed) - PAGING)
        check_query_parameters(request, taken, repeatable_filters(listed))
        rows = listed.queryset
        for backend in self.filter_backends:
            rows = backend().filter_queryset(request, rows, listed)
        timeline = counts_over_time(rows, counted=params.validated_data["count"], by=params.validated_data["by"])
        if request.accepted_renderer.format == CSVRenderer.format:
            return Response(TimelineRowSerializer(csv_rows(timeline), many=True).data)
        return Response(TimelineSerializer(timeline).data)
