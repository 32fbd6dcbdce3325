"""
Partial dates.

The press often gives only a month, a year, or a day and month without the year. A partial date is
stored as the first day of the period it names plus its precision, so that it still sorts and filters
as a date; a curator's inference is flagged, with a note saying from what. Each dated model declares
the four fields <name>, <name>_precision, <name>_inferred and <name>_note and adds
partial_date_constraints("<name>") to its Meta.
"""

import datetime

from django.db import models
from django.db.models import Q

from .base import valid_choice_constraint
from .limits import NOTE, bounded_text


class DatePrecision(models.TextChoices):
    DAY = "day", "day"
    MONTH = "month", "month"
    YEAR = "year", "year"
    UNKNOWN = "unknown", "unknown"


def truncate_to_precision(value: datetime.date | None, precision: str) -> datetime.date | None:
    """The first day of the period `value` names at `precision`: 2023-02-27 at month is 2023-02-01."""
    if value is None:
        return None
    if precision == DatePrecision.MONTH:
        return value.replace(day=1)
    if precision == DatePrecision.YEAR:
        return value.replace(month=1, day=1)
    return value


def format_partial_date(value: datetime.date | None, precision: str) -> str:
    if value is None or precision == DatePrecision.UNKNOWN:
        return "date unknown"
    if precision == DatePrecision.YEAR:
        return f"{value.year}"
    if precision == DatePrecision.MONTH:
        return value.strftime("%B %Y")
    return f"{value.day} {value.strftime('%B %Y')}"


def partial_date_constraints(name: str) -> list[models.CheckConstraint]:
    """Database rules tying a partial date to its precision and an inference to its reasoning."""
    precision, inferred, note = f"{name}_precision", f"{name}_inferred", f"{name}_note"
    known = Q(**{f"{name}__isnull": False}) & ~Q(**{precision: DatePrecision.UNKNOWN})
    unknown = Q(**{f"{name}__isnull": True, precision: DatePrecision.UNKNOWN})
    return [
        valid_choice_constraint(precision, DatePrecision),
        models.CheckConstraint(
            condition=known | unknown,
            name=f"%(app_label)s_%(class)s_{name}_precision_matches",
            violation_error_message=(f"{name} must be given exactly when {precision} is not 'unknown'."),
        ),
        models.CheckConstraint(
            # An inference nobody can retrace is indistinguishable from an invention.
            condition=Q(**{inferred: False}) | ~Q(**{note: ""}),
            name=f"%(app_label)s_%(class)s_{name}_inference_explained",
            violation_error_message=f"An inferred {name} needs a note saying what it is inferred from.",
        ),
    ]


def partial_date_field_names(label: str) -> tuple[str, str, str, str]:
    """The names partial_date_fields(label) is unpacked into, for field lists: start_date, start_date_precision, ..."""
    name = f"{label}_date"
    return (name, f"{name}_precision", f"{name}_inferred", f"{name}_note")


def partial_date_fields(label: str):
    """The four fields of one partial date, to unpack in a model body:

    start_date, start_date_precision, start_date_inferred, start_date_note = partial_date_fields("start")
    """
    return (
        models.DateField(
            f"{label} date",
            null=True,
            blank=True,
            help_text="For a month or a year, the first day of that period.",
        ),
        models.CharField(
            f"{label} date precision",
            max_length=8,
            choices=DatePrecision.choices,
            default=DatePrecision.UNKNOWN,
        ),
        models.BooleanField(
            f"{label} date inferred",
            default=False,
            help_text="Set when the curator worked the date out from the content rather than reading it.",
        ),
        bounded_text(
            NOTE,
            f"{label} date note",
            blank=True,
            help_text="What an inferred date is inferred from, or anything else a reader should know.",
        ),
    )


# ------------------------------------------------------------------ periods, for counts over time
PERIOD_LENGTHS = {"year": 4, "month": 7, "day": 10}  # of an ISO date's text: 2016, 2016-03, 2016-03-21
UNDATED = "undated"


def period_of(name: str, by: str):
    """The period (`by`: year, month or day) a partial date `name` falls in, as ISO text: `2016-03`.

    A date known less precisely than `by` stays in its own coarser period, never the first of the
    finer ones: at months, a date known only as "2016" is `2016`, not `2016-01`; an unknown date is
    `undated`. Its length tells which.
    """
    from django.db.models import Case, CharField, Value, When
    from django.db.models.functions import Cast, Substr

    precision = f"{name}_precision"
    as_text = Cast(name, output_field=CharField())
    coarser = {"day": (DatePrecision.MONTH, DatePrecision.YEAR), "month": (DatePrecision.YEAR,), "year": ()}[by]
    return Case(
        When(Q(**{f"{name}__isnull": True}), then=Value(UNDATED)),
        *(When(Q(**{precision: p}), then=Substr(as_text, 1, PERIOD_LENGTHS[p])) for p in coarser),
        default=Substr(as_text, 1, PERIOD_LENGTHS[by]),
        output_field=CharField(),
    )


def period_label(key: str, by: str) -> str:
    """How a period_of() key reads among periods of `by`: "21 March 2016", "March 2016", and for a date
    known less precisely, "2016, month unknown"; an unknown date "date unknown"."""
    if key == UNDATED:
        return "date unknown"
    # The year as the key writes it, four digits: strftime's %Y gives a typo year 23 as "May 23".
    if len(key) == PERIOD_LENGTHS["day"]:
        day = datetime.date.fromisoformat(key)
        return f"{day.day} {day:%B} {key[:4]}"
    if len(key) == PERIOD_LENGTHS["month"]:
        label = f"{datetime.date.fromisoformat(f'{key}-01'):%B} {key[:4]}"
        return label if by == "month" else f"{label}, day unknown"
    return key if by == "year" else f"{key}, month unknown"
