"""The Content-Security-Policy header (django-csp), with the one relaxation DRF's browsable API needs.

The policy itself is CONTENT_SECURITY_POLICY in the settings. DRF's templates for the browsable API
lay out a few elements with style attributes (a button floated right, a search box's width); a
strict policy would only disarrange them, but there is no reason to: style attributes cannot run
script, and no other page needs them, so only responses drawn by the browsable API allow them.
"""

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from rest_framework.renderers import BrowsableAPIRenderer


class CorpusCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if isinstance(getattr(response, "accepted_renderer", None), BrowsableAPIRenderer):
            parts.update = {**(parts.update or {}), "style-src-attr": [UNSAFE_INLINE]}
        return parts
