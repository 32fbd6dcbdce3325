"""
An article's metadata, read from the lines around its body: title, byline, dateline, outlet, URL.

Pages print these in a handful of shapes whatever the site: a date line ("27 February 2023 [17:59] -
TODAY.AZ", "01 March 2023 16:15"), an agency dateline opening the first paragraph ("Bakı/23.11.20/Turan:"),
a byline ("By Azernews" over "Elnur Enveroglu"), a breadcrumb ("TODAY.AZ / Politics"), a signature or
copyright line naming the outlet, a footer "URL: ...". A field the page does not give stays empty: the
curator fills it, nothing here guesses.
"""

import datetime
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .cleaner import CleanedPage, is_chrome, word_count

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_TIME = r"(?:\s*[\[(]?\s*(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)\s*[\])]?)?"
DATE_PATTERNS = [
    re.compile(r"\b(?P<day>[0-3]?\d)\s+" + _MONTH + r",?\s+(?P<year>(?:19|20)\d\d)\b" + _TIME, re.IGNORECASE),
    re.compile(r"\b" + _MONTH + r"\s+(?P<day>[0-3]?\d),?\s+(?P<year>(?:19|20)\d\d)\b" + _TIME, re.IGNORECASE),
    re.compile(
        r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b" + _TIME.replace(r"\s*[\[(]?", "[T ]?", 1)
    ),
    re.compile(r"\b(?P<day>[0-3]?\d)[./](?P<mnum>[01]?\d)[./](?P<year>(?:19|20)?\d\d)\b" + _TIME),
    re.compile(r"\b" + _MONTH + r",?\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE),
]
# "Bakı/23.11.20/Turan:" and "Baku, 23 November 2020 (Trend):" open an agency's first paragraph.
DATELINE = re.compile(
    r"^(?P<place>[^\W\d][\w .\-]{1,30}?)\s*[/,]\s*(?P<date>[^/():]{4,30}?)\s*[/(]\s*"
    r"(?P<outlet>[^/():]{2,40}?)\s*\)?\s*:"
)
BYLINE = re.compile(r"^(?:by|author|written by|автор)\s*[:\-]?\s+(?P<name>.+)$", re.IGNORECASE)
PERSON_LINE = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’\-]+(?:\s+[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’\-.]+){1,2}$")
BREADCRUMB = re.compile(r"^(?P<first>[^/|»>›]{2,40}?)\s*[/|»>›]\s*(?P<second>[^/|»>›]{2,40})$")
URL_LINE = re.compile(r"^(?:url|link|source)\s*:\s*(?P<url>https?://\S+)$", re.IGNORECASE)
VIEWS = re.compile(r"^(?:views?|reads?|hits?)\s*[:\-]?\s*(?P<count>[\d\s,.]+)$", re.IGNORECASE)
COPYRIGHT = re.compile(
    r"(?:^(?P<before>[^©]{2,40}?)\s*©)|(?:©\s*(?:(?:19|20)\d\d\s*)?(?P<after>[^.©\d][^©]{1,40}?)\s*\.?$)"
)
DOMAIN_LIKE = re.compile(r"^[\w\-]+(?:\.[A-Za-z]{2,})+$")
# A headline run into its subtitle ("... than Yerevan On Lavrov's visit"): a capitalised little word
# mid-line in a sentence-case headline starts the subtitle.
SUBTITLE_STARTERS = {"On", "In", "At", "As", "Why", "How", "What", "Who", "When", "From", "After", "Before", "Amid"}


@dataclass
class Metadata:
    title: str = ""
    subtitle: str = ""
    author: str = ""
    credit: str = ""
    published_date: datetime.date | None = None
    published_date_precision: str = "unknown"
    published_time: datetime.time | None = None
    url: str = ""
    section: str = ""
    view_count: int | None = None
    language: str = ""
    outlet_names: list[str] = field(default_factory=list)  # candidates, strongest first

    def as_dict(self) -> dict:
        return {
            "title": self.title,
            "subtitle": self.subtitle,
            "author": self.author,
            "credit": self.credit,
            "published_date": self.published_date.isoformat() if self.published_date else None,
            "published_date_precision": self.published_date_precision,
            "published_time": self.published_time.isoformat(timespec="minutes") if self.published_time else None,
            "url": self.url,
            "section": self.section,
            "view_count": self.view_count,
            "language": self.language,
        }


@dataclass
class FoundDate:
    date: datetime.date
    precision: str
    time: datetime.time | None
    start: int
    end: int


def find_date(text: str) -> FoundDate | None:
    """The first date written in `text`, with its precision; None when none is complete enough to trust."""
    for pattern in DATE_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        parts = match.groupdict()
        month = MONTHS[parts["month"].lower()] if parts.get("month") else int(parts["mnum"])
        year = int(parts["year"])
        year = year + 2000 if year < 100 else year
        day = int(parts["day"]) if parts.get("day") else None
        try:
            date = datetime.date(year, month, day or 1)
        except ValueError:
            continue
        time = None
        if day and parts.get("hour") is not None:
            time = datetime.time(int(parts["hour"]), int(parts["minute"]))
        return FoundDate(date, "day" if day else "month", time, match.start(), match.end())
    return None


def split_headline(line: str) -> tuple[str, str]:
    words = line.split()
    for i in range(3, len(words) - 1):
        if words[i] in SUBTITLE_STARTERS and not words[i - 1].endswith((":", "-", "–", "—")):
            before = words[:i]
            # Only a sentence-case headline: in Title Case every little word is capitalised anyway.
            if any(word[:1].islower() and len(word) > 3 for word in before):
                return " ".join(before), " ".join(words[i:])
    return line, ""


def outlet_from_date_line(line: str, found: FoundDate) -> str:
    rest = line[found.end :].strip(" -–—|,")
    return rest if rest and word_count(rest) <= 4 and not find_date(rest) else ""


def read(page: CleanedPage, *, url: str = "") -> Metadata:
    meta = Metadata(url=url)
    dated = False
    byline = None
    name_lines: list[str] = []
    title_candidates: list[str] = []
    short_labels: list[str] = []
    for line in page.head:
        if URL_LINE.match(line) or VIEWS.match(line) or COPYRIGHT.search(line):
            _read_furniture(line, meta)
            continue
        if is_chrome(line):
            continue
        found = find_date(line)
        if found and word_count(line) <= 8:
            if not dated:
                meta.published_date, meta.published_date_precision, meta.published_time = (
                    found.date, found.precision, found.time,
                )  # fmt: skip
                dated = True
                if outlet := outlet_from_date_line(line, found):
                    meta.outlet_names.append(outlet)
            continue
        if match := BYLINE.match(line):
            byline = match["name"].strip()
            continue
        if match := BREADCRUMB.match(line):
            meta.outlet_names.append(match["first"].strip())
            meta.section = meta.section or match["second"].strip()
            continue
        if PERSON_LINE.match(line) and title_candidates:
            name_lines.append(line)
            continue
        if word_count(line) <= 3 and not line.endswith("?"):
            short_labels.append(line)
            continue
        title_candidates.append(line)
    if title_candidates:
        headline = max(title_candidates, key=word_count)
        meta.title, meta.subtitle = split_headline(headline)
        labels_before = [label for label in short_labels if page.head.index(label) < page.head.index(headline)]
        if labels_before and not meta.section:
            meta.section = labels_before[-1]
    _read_byline(meta, byline, name_lines)
    if page.body and not dated:
        _read_dateline(page.body[0], meta)
    for line in page.tail:
        _read_furniture(line, meta)
    for line in page.tail[:2]:
        if word_count(line) <= 3 and DOMAIN_LIKE.match(line):
            meta.outlet_names.insert(0, line)
    if meta.url:
        host = urlsplit(meta.url).hostname or ""
        meta.outlet_names.append(host.removeprefix("www."))
    meta.outlet_names = list(dict.fromkeys(name for name in meta.outlet_names if name))
    return meta


def _read_byline(meta: Metadata, byline: str | None, name_lines: list[str]) -> None:
    if byline and name_lines:
        meta.author, meta.credit = name_lines[0], byline
    elif byline:
        if PERSON_LINE.match(byline):
            meta.author = byline
        else:
            meta.credit = byline
    elif name_lines:
        meta.author = name_lines[0]


def _read_dateline(first_paragraph: str, meta: Metadata) -> None:
    match = DATELINE.match(first_paragraph)
    if not match:
        return
    found = find_date(match["date"])
    if found:
        meta.published_date, meta.published_date_precision, meta.published_time = found.date, found.precision, None
        meta.outlet_names.insert(0, match["outlet"].strip())


def _read_furniture(line: str, meta: Metadata) -> None:
    if (match := URL_LINE.match(line)) and not meta.url:
        meta.url = match["url"]
    elif (match := VIEWS.match(line)) and meta.view_count is None:
        digits = re.sub(r"\D", "", match["count"])
        meta.view_count = int(digits) if digits else None
    elif match := COPYRIGHT.search(line):
        name = (match["before"] or match["after"] or "").strip(" .,")
        if name and word_count(name) <= 4:
            meta.outlet_names.append(name)
