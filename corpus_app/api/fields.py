"""Serializer fields that take only what they say they take.

DRF's relation field passes whatever it gets to the database lookup, which converts it: `1.9` became
id 1, and `true` id 1. django-countries' field reads a dict as {"code": ...}, so {"a": 1} was stored
as no country. Here an id is a whole number and a country a string.
"""

import re

from django_countries.serializer_fields import CountryField
from rest_framework import serializers

_DIGITS = re.compile(r"[0-9]+")
BIGGEST_ID = 2**63 - 1  # a bigint: a larger number names no row


class IdField(serializers.PrimaryKeyRelatedField):
    """A related record named by its id: a JSON integer, or its digits as a string (HTML forms send those).

    A float is refused even when whole (1.0): JSON tells integers from numbers with a fraction, and a
    client that sends 1.0 for an id has lost track of what it holds. So is a boolean, which Python
    counts as 1 or 0.
    """

    default_error_messages = {"incorrect_type": "An id is a whole number, such as 12; this is {data_type}."}

    def to_internal_value(self, data):
        if isinstance(data, str) and _DIGITS.fullmatch(data):
            # Longer than any id: not converted, as Python refuses to convert 4,300 digits or more.
            if len(data.lstrip("0")) > len(str(BIGGEST_ID)):
                self.fail("does_not_exist", pk_value=_shortened(data))
            data = int(data)
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=_described(data))
        if not 1 <= data <= BIGGEST_ID:
            self.fail("does_not_exist", pk_value=_shortened(str(data)))
        return super().to_internal_value(data)


def _described(value) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, float):
        return "a number with a decimal point"
    if isinstance(value, str):
        return "text"
    return "a list" if isinstance(value, list) else "an object"


def _shortened(text: str) -> str:
    return text if len(text) <= 20 else f"{text[:20]}…"


class StrictCountryField(CountryField):
    """A country as a string: its ISO 3166-1 code (or a name django-countries knows). Anything else is a 400."""

    default_error_messages = {"not_a_string": 'Give the country as its ISO 3166-1 alpha-2 code, e.g. "AZ".'}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_a_string")
        return super().to_internal_value(data)
