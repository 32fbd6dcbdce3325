"""Changelist columns that keep a list to the width of the window.

A quote of 2,000 characters or a visit's 300-character title in a cell makes a table wider than the
window, which then hides its last columns behind a sideways scroll. These columns show such text cut
at a word, with the whole of it as the cell's tooltip.
"""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.text import Truncator


def truncated_column(path: str, description: str, length: int, *, ordering: str | None = None):
    """A column showing the text at `path` ("text", "visit", "article__title": a field, a related record's
    name) cut to `length` characters at a word, whole on hover; sortable by `ordering` if given."""

    @admin.display(description=description, ordering=ordering)
    def column(self, obj):
        value = obj
        for name in path.split("__"):
            value = getattr(value, name, None)
        if value is None:
            return self.get_empty_value_display()
        text = str(value)
        cut = Truncator(text).chars(length)
        return text if cut == text else format_html('<span title="{}">{}</span>', text, cut)

    return column
