"""
What the pipeline knows of the corpus: its experts (every spelling), outlets and visits.

A plain snapshot rather than querysets, so the pipeline is pure and the same code reads the live
database (`from_database`) or the curated fixture alone (`from_fixture`, for `evaluate_ingest`, which
must score the rules and not whatever a curator's database holds today). `empty()` is a corpus that
knows nobody: every speaker must then be proposed from the article's own words.
"""

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from corpus_app.search.folding import folded_words


@dataclass(frozen=True)
class KnownPerson:
    key: str  # the expert's slug
    name: str
    spellings: tuple[str, ...]
    role: str = ""
    affiliation: str = ""
    pk: int | None = None

    @property
    def folded_spellings(self) -> list[tuple[str, ...]]:
        return [tuple(folded_words(spelling)) for spelling in self.spellings]


@dataclass(frozen=True)
class KnownOutlet:
    key: str
    name: str
    homepage: str = ""
    pk: int | None = None


@dataclass(frozen=True)
class KnownVisit:
    key: str
    title: str
    start: datetime.date | None
    start_precision: str
    end: datetime.date | None
    host_country: str
    places: tuple[str, ...]  # city names and the host country's name
    participants: tuple[str, ...]  # expert keys
    pk: int | None = None


@dataclass
class Directory:
    people: list[KnownPerson] = field(default_factory=list)
    outlets: list[KnownOutlet] = field(default_factory=list)
    visits: list[KnownVisit] = field(default_factory=list)

    @classmethod
    def empty(cls) -> "Directory":
        return cls()

    @classmethod
    def from_database(cls, *, using: str = "default") -> "Directory":
        from corpus_app.models import Expert, Outlet, Visit

        people = [
            KnownPerson(e.slug, e.name, tuple(e.spellings), e.role, e.affiliation, e.pk)
            for e in Expert.objects.using(using).only("slug", "name", "alternate_names", "role", "affiliation")
        ]
        outlets = [KnownOutlet(o.slug, o.name, o.homepage, o.pk) for o in Outlet.objects.using(using).all()]
        visits = []
        for visit in Visit.objects.using(using).prefetch_related("cities", "participations__person"):
            places = tuple(city.name for city in visit.cities.all()) + (visit.host_country.name,)
            participants = tuple(p.person.slug for p in visit.participations.all())
            visits.append(
                KnownVisit(
                    visit.slug,
                    visit.title,
                    visit.start_date,
                    visit.start_date_precision,
                    visit.end_date,
                    visit.host_country.code,
                    places,
                    participants,
                    visit.pk,
                )  # fmt: skip
            )
        return cls(people, outlets, visits)

    @classmethod
    def from_fixture(cls, path: Path) -> "Directory":
        from django_countries import countries

        rows = json.loads(Path(path).read_text(encoding="utf-8"))
        city_names = {r["fields"]["slug"]: r["fields"]["name"] for r in rows if r["model"] == "corpus_app.city"}
        people = [
            KnownPerson(f["slug"], f["name"], (f["name"], *f["alternate_names"]), f["role"], f["affiliation"])
            for f in (r["fields"] for r in rows if r["model"] == "corpus_app.expert")
        ]
        outlets = [
            KnownOutlet(f["slug"], f["name"], f["homepage"])
            for f in (r["fields"] for r in rows if r["model"] == "corpus_app.outlet")
        ]
        participants: dict[str, list[str]] = {}
        for r in rows:
            if r["model"] == "corpus_app.visitparticipant":
                participants.setdefault(r["fields"]["visit"][0], []).append(r["fields"]["person"][0])
        visits = []
        for f in (r["fields"] for r in rows if r["model"] == "corpus_app.visit"):
            places = tuple(city_names.get(c[0], c[0]) for c in f["cities"]) + (
                dict(countries).get(f["host_country"], ""),
            )
            visits.append(
                KnownVisit(
                    f["slug"],
                    f["title"],
                    _date(f["start_date"]),
                    f["start_date_precision"],
                    _date(f["end_date"]),
                    f["host_country"],
                    places,
                    tuple(participants.get(f["slug"], ())),
                )  # fmt: skip
            )
        return cls(people, outlets, visits)


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None
