from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode

from corpus_app.models import Visit
from corpus_app.services.counts_over_time import COUNTED, counts_over_time
from corpus_app.services.timeline import bar_chart, visit_timeline


def counts_chart(counted: str, *, by: str = "month", **filters) -> dict:
    """A chart of counts over time for a template's counts_chart.html: what /api/stats/timeline/ answers
    for the same filters (the same service), and that address, for the data behind it."""
    model, _date = COUNTED[counted]
    rows = model._default_manager.filter(**{field: value for field, value in filters.items()})
    counts = counts_over_time(rows, counted=counted, by=by)
    query = {"count": counted, "by": by, **{name.removesuffix("_id"): value for name, value in filters.items()}}
    return {"counts": counts, "chart": bar_chart(counts), "data_url": f"{reverse('stats-timeline')}?{urlencode(query)}"}


def visit_timeline_view(request):
    """The visits on a time axis with their number of articles and quotes, drawn server-side; below, the
    corpus's articles and quotes per month."""
    context = {
        **admin.site.each_context(request),
        "title": "Timeline of visits",
        "opts": Visit._meta,
        "timeline": visit_timeline(),
        "articles_chart": counts_chart("articles"),
        "quotes_chart": counts_chart("quotes"),
    }
    return TemplateResponse(request, "admin/corpus_app/visit/timeline.html", context)


def expert_quotes_chart(expert_id: int) -> dict:
    """The expert's quotes per month, for their change page."""
    return counts_chart("quotes", speaker_id=expert_id)
