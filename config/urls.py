from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config.ops import health

urlpatterns = [
    path("", RedirectView.as_view(url="/api/", permanent=False)),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/", include("corpus_app.api.urls")),
]

# Under /api/ even a URL that matches no route answers in JSON, as every other API error does.
handler404 = "corpus_app.api.exceptions.not_found"
