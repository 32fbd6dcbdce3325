"""How many quotes or articles each day, month or year: a filtered count beside the corpus's whole volume.

One GROUP BY over the filtered rows and one over all rows of the kind, by the period of the
publication date (models/dates.period_of). The whole volume per period lets a reader tell an expert
quoted more from a press that wrote more: `share` is the filtered count over it. Periods between the
first and the last with a count are listed with zeros, so a chart's axis has no gaps; dates known less
precisely than the periods (a year, at months) and undated rows are counted apart, never in the
first period they would start.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Sum

from corpus_app.models import Article, Quote
from corpus_app.models.base import is_whole_list, rows_counted
from corpus_app.models.dates import PERIOD_LENGTHS, UNDATED, period_label, period_of

# What can be counted: the model and the date its rows are placed by.
COUNTED = {"quotes": (Quote, "article__published_date"), "articles": (Article, "published_date")}
PERIODS = tuple(PERIOD_LENGTHS)
MAX_PERIODS = 15000  # about forty years of days (about 1.5 MB of JSON)


class TooManyPeriods(ValueError):
    """The rows span more periods than an answer lists."""


@dataclass(frozen=True)
class PeriodCount:
    period: str
    label: str
    count: int
    total: int

    @property
    def share(self) -> float | None:
        return round(self.count / self.total, 6) if self.total else None


@dataclass(frozen=True)
class CountsOverTime:
    counted: str
    by: str
    periods: list[PeriodCount]
    less_precise: list[PeriodCount] = field(default_factory=list)
    undated: int = 0

    @property
    def peak(self) -> int:
        return max((period.count for period in self.periods), default=0)


def counts_over_time(rows, *, counted: str, by: str) -> CountsOverTime:
    """Count `rows` (a filtered queryset of COUNTED[counted]'s model) per period `by`."""
    model, date = COUNTED[counted]
    bucket = period_of(date, by)

    def grouped(queryset):
        counts = queryset.order_by().values(key=bucket).annotate(n=rows_counted(queryset))
        return {row["key"]: row["n"] for row in counts}

    totals = _totals(counted, by) if counted == "quotes" else grouped(model._default_manager.all())
    found = totals if is_whole_list(rows) else grouped(rows)
    length = PERIOD_LENGTHS[by]
    exact = sorted(key for key in found if key != UNDATED and len(key) == length)
    first, last = (_ordinal(exact[0], by), _ordinal(exact[-1], by)) if exact else (0, -1)
    if last - first + 1 > MAX_PERIODS:
        raise TooManyPeriods(
            f"These rows span {last - first + 1:,} {by}s; at most {MAX_PERIODS:,} are listed. Count by a longer "
            "period, or narrow the dates with published_after and published_before."
        )
    keys = [_period_at(ordinal, by) for ordinal in range(first, last + 1)]

    def period(key):
        return PeriodCount(key, period_label(key, by), found.get(key, 0), totals.get(key, 0))

    coarser = sorted(key for key in found if key != UNDATED and len(key) < length)
    return CountsOverTime(
        counted, by, [period(key) for key in keys], [period(key) for key in coarser], found.get(UNDATED, 0)
    )


def _totals(counted: str, by: str) -> dict:
    """Every quote per period: the articles per period, their quote counts summed (counts.py keeps them),
    rather than half a million quotes joined to their articles."""
    articles = Article._base_manager.values(key=period_of("published_date", by)).annotate(n=Sum("quote_count"))
    return {row["key"]: row["n"] for row in articles if row["n"]}


def _ordinal(key: str, by: str) -> int:
    """The period's number on a scale of its kind, so that periods are counted and listed by arithmetic."""
    if by == "year":
        return int(key)
    if by == "month":
        return int(key[:4]) * 12 + int(key[5:7]) - 1
    return datetime.date.fromisoformat(key).toordinal()


def _period_at(ordinal: int, by: str) -> str:
    if by == "year":
        return f"{ordinal:04d}"
    if by == "month":
        return f"{ordinal // 12:04d}-{ordinal % 12 + 1:02d}"
    return datetime.date.fromordinal(ordinal).isoformat()
