"""Geometry of the visit timeline drawn in the admin: one row per dated visit, placed on a time axis,
with bars for the number of articles and quotes about it. Pure data; the template draws the SVG."""

import datetime
from dataclasses import dataclass

from corpus_app.models import Visit

WIDTH = 960
LABEL_WIDTH = 330
AXIS_LEFT = LABEL_WIDTH + 10
AXIS_RIGHT = WIDTH - 150
ROW_HEIGHT = 26
TOP = 34
BAR_UNIT = 6  # pixels per article or quote
BAR_MAX = 60


@dataclass(frozen=True)
class TimelineRow:
    visit: Visit
    y: int
    x: float
    x_end: float
    articles_width: int
    quotes_width: int


@dataclass(frozen=True)
class Timeline:
    rows: list[TimelineRow]
    undated: list[Visit]
    ticks: list[tuple[float, str]]
    width: int
    height: int
    axis_left: int = AXIS_LEFT
    axis_right: int = AXIS_RIGHT
    bars_left: int = AXIS_RIGHT + 12


def _bar(count: int) -> int:
    return min(count * BAR_UNIT, BAR_MAX)


def visit_timeline(visits=None) -> Timeline:
    """Lay out `visits` (default: all, with counts) oldest first; undated ones are listed apart."""
    visits = list(visits if visits is not None else Visit.objects.for_listing())
    dated = sorted((v for v in visits if v.start_date), key=lambda v: (v.start_date, v.slug))
    undated = [v for v in visits if not v.start_date]
    if not dated:
        return Timeline([], undated, [], WIDTH, TOP)
    first_year = dated[0].start_date.year
    last_year = max((v.end_date or v.start_date).year for v in dated) + 1
    start, end = datetime.date(first_year, 1, 1), datetime.date(last_year, 1, 1)
    span = (end - start).days

    def x_of(day: datetime.date) -> float:
        return round(AXIS_LEFT + (day - start).days / span * (AXIS_RIGHT - AXIS_LEFT), 1)

    rows = [
        TimelineRow(
            visit=visit,
            y=TOP + index * ROW_HEIGHT,
            x=x_of(visit.start_date),
            x_end=x_of(visit.end_date or visit.start_date),
            articles_width=_bar(visit.article_count),
            quotes_width=_bar(visit.quote_count),
        )
        for index, visit in enumerate(dated)
    ]
    step = max(1, (last_year - first_year) // 10)
    ticks = [(x_of(datetime.date(year, 1, 1)), str(year)) for year in range(first_year, last_year, step)]
    return Timeline(rows, undated, ticks, WIDTH, TOP + len(rows) * ROW_HEIGHT + 10)


# ------------------------------------------------------------------ counts over time, as bars
CHART_HEIGHT = 120
CHART_LEFT = 40


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    y: float
    height: float
    period: object  # a counts_over_time.PeriodCount


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    ticks: list[tuple[float, str]]
    peak: int
    width: int = WIDTH
    height: int = CHART_HEIGHT + 40
    base: int = CHART_HEIGHT + 10
    left: int = CHART_LEFT


def bar_chart(counts) -> BarChart:
    """Bars for `counts` (services/counts_over_time.CountsOverTime), one per period, scaled to the peak;
    a tick at every period when few, else at the first of each year (of each tenth, over decades)."""
    periods, peak = counts.periods, counts.peak
    if not periods:
        return BarChart([], [], 0)
    step = (WIDTH - CHART_LEFT - 10) / len(periods)
    bars, ticks = [], []
    for index, period in enumerate(periods):
        height = round(period.count / peak * CHART_HEIGHT, 1) if peak else 0
        x = round(CHART_LEFT + index * step, 1)
        bars.append(Bar(x, max(round(step - 1, 1), 1), CHART_HEIGHT + 10 - height, height, period))
        year = int(period.period[:4])
        if len(periods) <= 24:
            ticks.append((x, period.period))
        elif index == 0 or year != int(periods[index - 1].period[:4]):
            if len(periods) < 24 * 20 or year % 10 == 0:
                ticks.append((x, str(year)))
    return BarChart(bars, ticks, peak)
