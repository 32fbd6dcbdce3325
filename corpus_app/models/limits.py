"""The longest text each field holds, enforced by every way in: the API, the admin, import and fixtures.

A TextField is unbounded in the database. Its max_length bounds forms and serializers (the API answers
400 beyond it, and the schema states it); the validator makes full_clean, which import previews and
fixture loading run, refuse the same text. The bounds are generous: each is many times the longest
such text in the curated corpus (an article body of 9,000 characters, a quote of 2,200, a note of 1,000).
"""

from django.core.validators import MaxLengthValidator
from django.db import models

ARTICLE_BODY = 200_000  # a long feature is some 50,000 characters
QUOTE_TEXT = 10_000
SUMMARY = 10_000
NOTES = 20_000  # a curator's notes on a record
NOTE = 5_000  # a note on one fact: an inferred date, a participant
ALTERNATE_NAMES = 50  # spellings of one name
SPELLING = 200  # one spelling, as long as the name itself may be


def bounded_text(limit: int, *args, **kwargs) -> models.TextField:
    """A TextField holding at most `limit` characters."""
    return models.TextField(*args, max_length=limit, validators=[MaxLengthValidator(limit)], **kwargs)
