"""Synthetic corpora of any size, the same for the same size and seed, valid under every corpus rule.

Records come out in the archive format (this package's docstring) and go straight into the bulk
import path (import_.records_import), or to a file, so a generated corpus is checked by exactly
the rules a real archive is. Proportions follow what a large press archive looks like: an outlet
per 500 articles, an expert per 10, a visit per 50, a city per 200 (a few of each at least), one to
three participants a visit, a few kB of paragraphs per article, and about `quotes_per_article`
quotes per article, each a sentence of its body attributed in it to its speaker.

Determinism: one random.Random(seed) drives everything, timestamps included (counted from a fixed
date, never from the clock).
"""

import datetime
import random

from django.utils.text import slugify

from .records import COUNTED, json_value
from .vocabulary import (
    AFFILIATIONS,
    COUNTRIES,
    FIRST_NAMES,
    LAST_NAMES,
    OUTLET_WORDS,
    ROLES,
    SECTIONS,
    SYLLABLES,
    WORDS,
)

EPOCH = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
_AZERBAIJANI = (("kh", "x"), ("sh", "ş"), ("ch", "ç"), ("gh", "ğ"), ("Kh", "X"), ("Sh", "Ş"), ("Ch", "Ç"))
_CYRILLIC = str.maketrans(dict(zip("abvgdezijklmnoprstufhcyABVGDEZIJKLMNOPRSTUFHCY",
                                   "абвгдезийклмнопрстуфхцыАБВГДЕЗИЙКЛМНОПРСТУФХЦЫ", strict=True)))  # fmt: skip


def proportions(articles: int) -> dict[str, int]:
    """How many records of each kind a corpus of `articles` articles gets."""
    return {
        "outlet": max(3, articles // 500),
        "city": max(5, articles // 200),
        "expert": max(10, articles // 10),
        "visit": max(4, articles // 50),
        "article": articles,
    }


def _roman(number: int) -> str:
    numerals = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for value, letters in numerals:
        while number >= value:
            out, number = out + letters, number - value
    return out


def _digits(index: int, base: int, length: int) -> list[int]:
    return [(index // base**place) % base for place in range(length)]


class _Generator:
    def __init__(self, articles: int, seed: int, quotes_per_article: int):
        self.rng = random.Random(seed)
        self.sizes = proportions(articles)
        self.quotes_per_article = quotes_per_article
        self.counts = dict.fromkeys(COUNTED, 0)
        self.clock = EPOCH

    def stamps(self) -> dict:
        """created_at, updated_at and version, advancing a clock of the generator's own."""
        self.clock += datetime.timedelta(seconds=self.rng.randint(1, 90), microseconds=self.rng.randint(0, 999_999))
        edited = self.rng.random() < 0.2
        updated = self.clock + datetime.timedelta(days=self.rng.randint(1, 300)) if edited else self.clock
        return {
            "created_at": json_value(self.clock),
            "updated_at": json_value(updated),
            "version": self.rng.randint(2, 6) if edited else 1,
        }

    def words(self, low: int, high: int) -> str:
        return " ".join(self.rng.choices(WORDS, k=self.rng.randint(low, high)))

    def sentence(self) -> str:
        text = self.words(10, 24)
        return f"{text[0].upper()}{text[1:]}."

    # ------------------------------------------------------------------ reference records
    def outlets(self):
        for index in range(self.sizes["outlet"]):
            combinations = len(OUTLET_WORDS) ** 2
            # Stepping through the combinations by a number prime to their count visits each once, shuffled.
            a, b = _digits(index * 7 % combinations, len(OUTLET_WORDS), 2)
            generation = index // combinations
            name = f"{OUTLET_WORDS[a]} {OUTLET_WORDS[b]}" + (f" {_roman(generation + 1)}" if generation else "")
            slug = slugify(name)
            yield {"record": "outlet", "slug": slug, "name": name, "homepage": f"https://{slug}.example/",
                   "country": self.rng.choice(COUNTRIES), "notes": "", **self.stamps()}  # fmt: skip

    def cities(self):
        self.city_slugs = []
        for index in range(self.sizes["city"]):
            name = "".join(SYLLABLES[d] for d in _digits(index * 7919 % len(SYLLABLES) ** 4, len(SYLLABLES), 4))
            name = name.capitalize()
            country = self.rng.choice(COUNTRIES)
            slug = f"{slugify(name)}-{country.lower()}"
            self.city_slugs.append((slug, name, country))
            yield {"record": "city", "slug": slug, "name": name, "country": country, **self.stamps()}

    def experts(self):
        self.expert_names = []
        per_initial = len(FIRST_NAMES) * len(LAST_NAMES)
        for index in range(self.sizes["expert"]):
            first, last = (
                FIRST_NAMES[index % len(FIRST_NAMES)],
                LAST_NAMES[(index // len(FIRST_NAMES)) % len(LAST_NAMES)],
            )
            initial, generation = (index // per_initial) % 26, index // (per_initial * 26)
            name = f"{first} {chr(65 + initial)}. {last}" if index >= per_initial else f"{first} {last}"
            name += f" {_roman(generation + 1)}" if generation else ""
            kind = self.rng.choice(tuple(ROLES))
            slug = slugify(name)
            self.expert_names.append((slug, name))
            yield {
                "record": "expert", "slug": slug, "name": name, "alternate_names": self.spellings(name),
                "kind": kind, "role": self.rng.choice(ROLES[kind]), "affiliation": self.rng.choice(AFFILIATIONS),
                "country": self.rng.choice(COUNTRIES), "notes": "", **self.stamps(),
            }  # fmt: skip

    def spellings(self, name: str) -> list[str]:
        """Other spellings as the press has them: Azerbaijani Latin and Cyrillic letters, never plain ASCII."""
        if self.rng.random() < 0.3:
            return []
        variants = [name, name.translate(_CYRILLIC)]
        for ascii_letters, letter in _AZERBAIJANI:
            variants[0] = variants[0].replace(ascii_letters, letter)
        distinct = []
        for variant in variants:
            if not variant.isascii() and variant.casefold() not in {n.casefold() for n in [name, *distinct]}:
                distinct.append(variant)
        return distinct

    def visits(self):
        self.visit_slugs = []
        for index in range(self.sizes["visit"]):
            visitor_slug, visitor = self.rng.choice(self.expert_names)
            city_slug, city, country = self.rng.choice(self.city_slugs)
            dates = self.visit_dates()
            when = dates["start_date"][:7] if dates["start_date"] else "undated"
            slug = f"{visitor_slug}-{slugify(city)}-{when}-{index + 1}"
            self.visit_slugs.append(slug)
            participants = [self.participant(visitor_slug, "visitor")]
            for met_slug, _met in self.rng.sample(self.expert_names, k=self.rng.randint(0, 2)):
                if met_slug != visitor_slug:
                    participants.append(self.participant(met_slug, "met"))
            self.counts["participant"] += len(participants)
            yield {
                "record": "visit", "slug": slug, "title": f"{visitor} in {city}, {when}", "summary": self.words(15, 40),
                "kind": self.rng.choice(("state", "official", "working", "other", "unknown")),
                "status": self.rng.choices(("held", "announced", "cancelled"), weights=(85, 12, 3))[0],
                "host_country": country, "cities": [city_slug], **dates, "notes": "", **self.stamps(),
                "participants": participants,
            }  # fmt: skip

    def participant(self, person: str, role: str) -> dict:
        inferred = self.rng.random() < 0.05
        return {"person": person, "role": role, "office": "" if role == "met" else "foreign minister",
                "inferred": inferred, "note": "Implied by the delegation's composition." if inferred else "",
                **self.stamps()}  # fmt: skip

    def partial_date(self, label: str, value: datetime.date | None, precision: str) -> dict:
        if value is not None:
            value = {"month": value.replace(day=1), "year": value.replace(month=1, day=1)}.get(precision, value)
        inferred = value is not None and self.rng.random() < 0.05
        return {
            f"{label}_date": json_value(value),
            f"{label}_date_precision": precision,
            f"{label}_date_inferred": inferred,
            f"{label}_date_note": "Worked out from the events the text mentions." if inferred else "",
        }

    def random_date(self) -> datetime.date:
        return datetime.date(2005, 1, 1) + datetime.timedelta(days=self.rng.randint(0, 7300))

    def visit_dates(self) -> dict:
        precision = self.rng.choices(("day", "month", "year", "unknown"), weights=(80, 12, 5, 3))[0]
        if precision == "unknown":
            return {**self.partial_date("start", None, precision), **self.partial_date("end", None, precision)}
        start = self.random_date()
        end = start + datetime.timedelta(days=self.rng.randint(0, 3))
        return {**self.partial_date("start", start, precision), **self.partial_date("end", end, precision)}

    # ------------------------------------------------------------------ articles
    def articles(self):
        outlets = list(self.outlet_slugs)
        for index in range(self.sizes["article"]):
            outlet = self.rng.choice(outlets) if self.rng.random() > 0.03 else None
            visits = sorted(self.rng.sample(self.visit_slugs, k=self.rng.choices((0, 1, 2), weights=(15, 70, 15))[0]))
            body, quotes = self.body_and_quotes(visits)
            precision = self.rng.choices(("day", "month", "year", "unknown"), weights=(85, 8, 4, 3))[0]
            published = self.random_date() if precision != "unknown" else None
            title = self.words(5, 11).capitalize() if self.rng.random() > 0.02 else ""
            slug = f"{slugify(title)[:60] or 'untitled'}-{index + 1}"
            with_time = precision == "day" and self.rng.random() < 0.5
            time = f"{self.rng.randint(6, 23):02d}:{self.rng.randint(0, 59):02d}:00" if with_time else None
            self.counts["quote"] += len(quotes)
            yield {
                "record": "article", "slug": slug, "title": title, "subtitle": self.words(6, 14) if index % 3 else "",
                "outlet": outlet, "author": " ".join(self.rng.choice(self.expert_names)[1].split()[:1] + ["Staff"]),
                "credit": "", **self.partial_date("published", published, precision),
                "published_time": time,
                "url": f"https://{outlet or 'unknown'}.example/news/{index + 1}" if self.rng.random() > 0.05 else "",
                "language": self.rng.choices(("en", "ru", "az"), weights=(80, 10, 10))[0],
                "section": self.rng.choice(SECTIONS), "view_count": self.rng.randint(0, 50_000) if index % 4 else None,
                "body": body, "notes": "", "visits": visits, **self.stamps(), "quotes": quotes,
            }  # fmt: skip

    def body_and_quotes(self, visits: list[str]) -> tuple[str, list[dict]]:
        """Paragraphs of sentences; some sentences are quoted, attributed in the text to their speaker."""
        paragraphs = [[self.sentence() for _ in range(self.rng.randint(4, 6))] for _ in range(self.rng.randint(7, 11))]
        places = [(p, s) for p, paragraph in enumerate(paragraphs) for s in range(len(paragraph))]
        wanted = self.rng.randint(max(0, self.quotes_per_article - 3), self.quotes_per_article + 3)
        quotes, texts = [], set()
        for p, s in sorted(self.rng.sample(places, k=min(wanted, len(places)))):
            text = paragraphs[p][s]
            if text in texts:
                continue
            texts.add(text)
            speaker_slug, speaker = self.rng.choice(self.expert_names)
            paragraphs[p][s] = f"“{text}” said {speaker}."
            relayed = self.rng.choice(self.expert_names)[0] if self.rng.random() < 0.1 else None
            quotes.append({
                "text": text, "kind": "direct" if self.rng.random() < 0.8 else "paraphrase", "speaker": speaker_slug,
                "relayed_by": relayed if relayed != speaker_slug else None,
                "visit": self.rng.choice(visits) if visits and self.rng.random() < 0.85 else None,
                "notes": "", **self.stamps(),
            })  # fmt: skip
        return "\n\n".join(" ".join(paragraph) for paragraph in paragraphs), quotes

    def records(self):
        """Every record in file order, then the end record with the counts."""
        self.outlet_slugs = []
        for record in self.outlets():
            self.outlet_slugs.append(record["slug"])
            yield record
        for source in (self.cities(), self.experts(), self.visits(), self.articles()):
            for record in source:
                self.counts[record["record"]] += 1
                yield record
        self.counts["outlet"] = len(self.outlet_slugs)
        yield {"record": "end", "counts": dict(self.counts)}


def corpus_records(*, articles: int, seed: int, quotes_per_article: int = 5):
    """(where, record) for a synthetic corpus, in archive order, as records_import takes them."""
    generator = _Generator(articles, seed, quotes_per_article)
    for number, record in enumerate(generator.records(), start=2):
        yield f"generated record {number}", record
