from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config.ops import health

urlpatterns = [
    path("", RedirectView.as_view(url="/api/", permanent=False)),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script at ?script, not inline: the CSP refuses inline scripts.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="corpus_app/swagger_ui.html"),
        name="swagger-ui",
    ),
    path("api/", include("corpus_app.api.urls")),
]
