"""Which renderer answers: DRF's choice, with the client's q-values honoured (RFC 9110 §12.5.1)."""

from rest_framework.exceptions import NotFound
from rest_framework.negotiation import DefaultContentNegotiation


class PreferenceContentNegotiation(DefaultContentNegotiation):
    """DRF ranks the types of Accept by specificity alone, then takes the first renderer, in the view's
    order, that matches one: `Accept: application/ld+json, application/json;q=0.5`, as a JSON-LD
    processor following an @id may send, got plain JSON. Here the renderer of the type the client
    prefers (Django's HttpRequest.get_preferred_type, which weighs q-values) is tried first; DRF still
    reads `?format=` and the type's parameters (`indent`), and answers 406 when nothing matches.
    """

    def select_renderer(self, request, renderers, format_suffix=None):
        preferred = request.get_preferred_type([renderer.media_type for renderer in renderers])
        # Stable: the other renderers keep the view's order.
        renderers = sorted(renderers, key=lambda renderer: renderer.media_type != preferred)
        return super().select_renderer(request, renderers, format_suffix)

    def filter_renderers(self, renderers, format):
        """The renderers of `?format=`; for a format this endpoint does not write, a 404 naming those it
        does (DRF's is a bare "Not found.", which reads as a missing record)."""
        chosen = [renderer for renderer in renderers if renderer.format == format]
        if not chosen:
            formats = ", ".join(dict.fromkeys(renderer.format for renderer in renderers))
            raise NotFound(f"This endpoint is not written as format={format}: it is written as {formats}.")
        return chosen
