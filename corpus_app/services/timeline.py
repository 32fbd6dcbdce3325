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
