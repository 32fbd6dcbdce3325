"""
Which visit an article covers, from what it says: who travelled, where, and when.

A visit scores for each participant the article names, for its host country or cities named, and most
for dates: the article published during or within weeks of it, or a day and month the text gives
("on February 27", "On November 21") matching the visit's. A visit dated far from a dated article is
never proposed. The best scorer is proposed when it clears a threshold, and its score becomes the
suggestion's confidence in it; otherwise the visit is left for the curator.
"""

import datetime
import re

from .directory import Directory, KnownVisit
from .metadata import MONTHS
from .people import Person

NEAR_DAYS = 45
THRESHOLD = 3.0
_DAY_MONTH = re.compile(
    r"\b(?:(?P<day>[0-3]?\d)(?:[-–](?P<day2>[0-3]?\d))?\s+(?P<month>[A-Za-z]+)|(?P<month2>[A-Za-z]+)\s+(?P<day3>[0-3]?\d)"
    r"(?:[-–](?P<day4>[0-3]?\d))?)\b"
)


def day_months(text: str) -> set[tuple[int, int]]:
    found = set()
    for match in _DAY_MONTH.finditer(text):
        month = (match["month"] or match["month2"] or "").lower()
        if month not in MONTHS:
            continue
        for day in (match["day"], match["day2"], match["day3"], match["day4"]):
            if day and 1 <= int(day) <= 31:
                found.add((MONTHS[month], int(day)))
    return found


def score(visit: KnownVisit, *, body: str, published: datetime.date | None, people: set[str]) -> float:
    total = 0.0
    if visit.start is not None and published is not None:
        end = visit.end or visit.start
        if visit.start_precision == "year":
            end = visit.start.replace(month=12, day=31)
        elif visit.start_precision == "month":
            end = max(end, (visit.start + datetime.timedelta(days=31)).replace(day=1) - datetime.timedelta(days=1))
        if not (
            visit.start - datetime.timedelta(days=NEAR_DAYS) <= published <= end + datetime.timedelta(days=NEAR_DAYS)
        ):
            return 0.0
        total += 3.0
    if visit.start is not None and visit.start_precision == "day":
        days = {(visit.start.month, visit.start.day)}
        if visit.end:
            days.add((visit.end.month, visit.end.day))
        if days & day_months(body):
            total += 3.0
    total += 1.5 * len(set(visit.participants) & people)
    lowered = body.lower()
    total += sum(1.0 for place in visit.places if place and place.lower() in lowered)
    return total


def propose(directory: Directory, *, body: str, published: datetime.date | None, people: list[Person]):
    """(visit, confidence) for the visit the article most plausibly covers, or (None, 0)."""
    keys = {person.known.key for person in people if person.known}
    scored = sorted(
        ((score(v, body=body, published=published, people=keys), v) for v in directory.visits),
        key=lambda pair: -pair[0],
    )
    if not scored or scored[0][0] < THRESHOLD:
        return None, 0.0
    best, runner_up = scored[0][0], (scored[1][0] if len(scored) > 1 else 0.0)
    confidence = min(0.95, best / 10) * (0.6 if best - runner_up < 1.0 else 1.0)
    return scored[0][1], round(confidence, 2)
