from django.contrib import admin
from django.template.response import TemplateResponse

from corpus_app.models import Visit
from corpus_app.services.timeline import visit_timeline


def visit_timeline_view(request):
    """The visits on a time axis with their number of articles and quotes, drawn server-side."""
    context = {
        **admin.site.each_context(request),
        "title": "Timeline of visits",
        "opts": Visit._meta,
        "timeline": visit_timeline(),
    }
    return TemplateResponse(request, "admin/corpus_app/visit/timeline.html", context)
