"""The API's front page, /api/: what the API is, where its documentation is, how to log in; and its endpoints.

DRF's DefaultRouter draws the root as "Api Root", "The default basic root view for DefaultRouter". The
list of endpoints stays the JSON answer, as clients read it; the name and description are the OpenAPI
schema's (SPECTACULAR_SETTINGS), said once. A client finds the documentation in the Link header too
(RFC 8631: service-doc, service-desc).
"""

import re

from django.conf import settings
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from rest_framework import routers

SCHEMA = settings.SPECTACULAR_SETTINGS
FORMATS = (
    "Every list is also CSV (?format=csv) and streams whole as NDJSON or CSV (export/), and every record and "
    "list is JSON-LD with schema.org types (Accept: application/ld+json)."
)


class CorpusAPIRootView(routers.APIRootView):
    name = SCHEMA["TITLE"]

    def links(self) -> dict[str, str]:
        request = self.request
        login = f"{reverse('rest_framework:login')}?next={request.path}"
        return {
            "docs": request.build_absolute_uri(reverse("swagger-ui")),
            "schema": request.build_absolute_uri(reverse("schema")),
            "login": request.build_absolute_uri(login),
        }

    def get_view_description(self, html=False):
        links = self.links()
        logged_in = self.request.user.is_authenticated
        if not html:
            login = "" if logged_in else f" Log in to browse as yourself: {links['login']}"
            return (
                f"{SCHEMA['DESCRIPTION']} {FORMATS} Documentation: {links['docs']} "
                f"(OpenAPI schema: {links['schema']}).{login}"
            )
        # The schema's description marks code with `backticks` (Markdown, as Swagger UI reads it).
        described = re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(SCHEMA["DESCRIPTION"]))
        login = format_html(' · <a href="{}">Log in</a> to browse the API as yourself', links["login"])
        return format_html(
            "<p>{}</p><p>{}</p>"
            '<p><a href="{}">API documentation</a> (Swagger UI; <a href="{}">OpenAPI schema</a>){}.</p>',
            mark_safe(described),
            mark_safe(re.sub(r"\(([^)]+)\)", r"(<code>\1</code>)", escape(FORMATS))),
            links["docs"],
            links["schema"],
            "" if logged_in else login,
        )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        links = self.links()
        response["Link"] = f'<{links["docs"]}>; rel="service-doc", <{links["schema"]}>; rel="service-desc"'
        return response


class CorpusRouter(routers.DefaultRouter):
    APIRootView = CorpusAPIRootView
