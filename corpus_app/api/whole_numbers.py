"""Whole numbers in a query string, read strictly: ASCII digits and nothing else.

Python's int() reads `1_0` as 10, `+1` and ` 1 ` as 1 and `١` (an Arabic-Indic one) as 1; Django's and
DRF's integer fields add `1.0`. Each is a number a client did not mean to send, or not the number it
meant (`?speaker=1_0` answering speaker 10's quotes is a wrong answer with no error), so an id, a page
size or a page number is digits only, and anything else is a 400 naming the parameter.
"""

import re

from django import forms
from django.core.validators import MaxValueValidator
from rest_framework import serializers

DIGITS = re.compile(r"[0-9]+")
MESSAGE = "A whole number, in digits 0-9 alone."


def whole_number(value) -> int:
    """The int `value` spells in ASCII digits; ValueError for anything else (a sign, a point, spaces)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if not isinstance(value, str) or not DIGITS.fullmatch(value):
        raise ValueError(value)
    return int(value)


class WholeNumberFormField(forms.IntegerField):
    """A django-filter field (filters.IdFilter): digits only, then the field's bounds."""

    default_error_messages = {"invalid": MESSAGE}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return whole_number(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class WholeNumberField(serializers.IntegerField):
    """A query parameter read by a serializer (search's `expert`, history's `before`): digits only, then bounds."""

    default_error_messages = {"invalid": MESSAGE}

    def to_internal_value(self, data):
        try:
            return whole_number(data)
        except ValueError:
            self.fail("invalid")


class PageSizeField(WholeNumberField):
    """A page size: above the most a page holds, the most, as every list gives (pagination.py), not a 400.
    `max_value` stays, for the schema, without its validator."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, MaxValueValidator)]

    def to_internal_value(self, data):
        return min(super().to_internal_value(data), self.max_value)
