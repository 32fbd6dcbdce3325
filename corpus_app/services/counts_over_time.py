"""How many quotes or articles each day, month or year: a filtered count beside the corpus's whole volume.

One GROUP BY over the filtered rows and one over all rows of the kind, by the period of the
publication date (models/dates.period_of). The whole volume per period lets a reader tell an expert
quoted more from a press that wrote more: `share` is the filtered count over it. Periods between the
first and the last with a count are listed with zeros, so a chart's axis has no gaps; dates known less
precisely than the periods (a year, at months) and undated rows are counted apart, never in the
first period they would start.

An answer covers at most MAX_PERIODS periods. One typo year (an article dated 1023 among 2016–2024)
would otherwise stretch the axis over a thousand years of zeros, or make the whole corpus impossible
to count by day: so when the dates counted span more, the answer covers the stretch of MAX_PERIODS
periods holding the most counted rows, and what is dated before or after it is counted in `before`
and `after`, each one period naming the first and last dates it holds, for the reader to find and
narrow to (published_after, published_before). The cost stays a few passes over the distinct periods the
two GROUP BYs return, whatever the span.
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
# The parts of an answer a count is in (CountsOverTime.sections), in the order a table lists them.
SECTIONS = ("before", "periods", "after", "less_precise", "undated")


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
    undated_total: int = 0
    # Only when the dates counted span more than MAX_PERIODS: the rows dated before and after those covered.
    before: PeriodCount | None = None
    after: PeriodCount | None = None

    @property
    def peak(self) -> int:
        return max((period.count for period in self.periods), default=0)

    def sections(self) -> list[tuple[str, PeriodCount]]:
        """Every count of the answer with the part (SECTIONS) holding it, as the rows of one table (a CSV),
        which has no nested lists: the dated in time order (before, the periods, after), then the less
        precise, then the undated, always, as a period of its own beside the corpus's undated."""
        undated = PeriodCount(UNDATED, period_label(UNDATED, self.by), self.undated, self.undated_total)
        parts = {
            "before": [self.before] if self.before else [],
            "periods": self.periods,
            "after": [self.after] if self.after else [],
            "less_precise": self.less_precise,
            "undated": [undated],
        }
        return [(section, period) for section in SECTIONS for period in parts[section]]


def counts_over_time(rows, *, counted: str, by: str) -> CountsOverTime:
    """Count `rows` (a filtered queryset of COUNTED[counted]'s model) per period `by`."""
    model, date = COUNTED[counted]
    bucket = period_of(date, by)

    def grouped(queryset):
        counts = queryset.order_by().values(key=bucket).annotate(n=rows_counted(queryset))
        return {row["key"]: row["n"] for row in counts}

    totals = _totals(counted, by) if counted == "quotes" else grouped(model._default_manager.all())
    found = totals if is_whole_list(rows) else grouped(rows)
    window = _window(found, by)

    def side(key) -> int:
        """-1 if the key is dated before the periods covered, 1 after, 0 covered (the undated aside)."""
        if window is None:
            return 0
        start = _start(key, by)
        return -1 if start < window[0] else (1 if start > window[1] else 0)

    dated = [key for key in found if key != UNDATED]
    length = PERIOD_LENGTHS[by]
    exact = [_start(key, by) for key in dated if len(key) == length and side(key) == 0]
    first, last = (min(exact), max(exact)) if exact else (0, -1)

    def period(key):
        return PeriodCount(key, period_label(key, by), found.get(key, 0), totals.get(key, 0))

    def outside(where: int) -> PeriodCount | None:
        keys = sorted(key for key in dated if side(key) == where)
        if not keys:
            return None
        first_label, last_label = period_label(keys[0], by), period_label(keys[-1], by)
        label = first_label if keys[0] == keys[-1] else f"{first_label} to {last_label}"
        total = sum(n for key, n in totals.items() if key != UNDATED and side(key) == where)
        return PeriodCount(f"{keys[0]}/{keys[-1]}", label, sum(found[key] for key in keys), total)

    coarser = sorted(key for key in dated if len(key) < length and side(key) == 0)
    return CountsOverTime(
        counted,
        by,
        [period(_period_at(ordinal, by)) for ordinal in range(first, last + 1)],
        [period(key) for key in coarser],
        found.get(UNDATED, 0),
        totals.get(UNDATED, 0),
        outside(-1),
        outside(1),
    )


def _window(found: dict, by: str) -> tuple[int, int] | None:
    """The first and last period (as _start numbers them) an answer covers, or None for all of them: when
    the dated keys start at most MAX_PERIODS periods apart.

    Else the MAX_PERIODS periods, from a key's start, holding the most counted rows (a date known less
    precisely counted at its first period); of equals, the latest, as the press's recent years are the
    more asked about. One pass over the keys sorted by start, with the window's running sum.
    """
    rows_at: dict[int, int] = {}
    for key, n in found.items():
        if key != UNDATED:
            rows_at[_start(key, by)] = rows_at.get(_start(key, by), 0) + n
    starts = sorted(rows_at)
    if not starts or starts[-1] - starts[0] < MAX_PERIODS:
        return None
    best, best_rows, rows, end = starts[0], -1, 0, 0
    for start in starts:
        while end < len(starts) and starts[end] < start + MAX_PERIODS:
            rows += rows_at[starts[end]]
            end += 1
        if rows >= best_rows:
            best, best_rows = start, rows
        rows -= rows_at[start]
    return best, best + MAX_PERIODS - 1


def _totals(counted: str, by: str) -> dict:
    """Every quote per period: the articles per period, their quote counts summed (counts.py keeps them),
    rather than half a million quotes joined to their articles."""
    articles = Article._base_manager.values(key=period_of("published_date", by)).annotate(n=Sum("quote_count"))
    return {row["key"]: row["n"] for row in articles if row["n"]}


def _start(key: str, by: str) -> int:
    """The number of the first period of `by` a key falls in ("2016" by months: 2016-01), on a scale on which
    periods are counted and listed by arithmetic."""
    key += "-01" * ((PERIOD_LENGTHS[by] - len(key)) // 3)  # 2016 → 2016-01-01 by days
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
