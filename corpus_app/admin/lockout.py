"""The page a login locked out by django-axes gets: in the admin's look, saying why, for how long, and what to do.

django-axes's own answer is a bare line of text; a curator who mistyped a password five times should
see the admin's page with the wait and whom to ask, and a script a 429 with Retry-After.
"""

from axes.helpers import get_cool_off, get_failure_limit
from django.contrib import admin
from django.template.response import TemplateResponse


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the lockout page, 429 Too Many Requests with Retry-After."""
    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else None
    context = {
        **admin.site.each_context(request),
        "title": "Login locked",
        "failure_limit": get_failure_limit(request, credentials),
        "minutes": minutes,
    }
    response = TemplateResponse(request, "admin/locked_out.html", context, status=429)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response.render()
