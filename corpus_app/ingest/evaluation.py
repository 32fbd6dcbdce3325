"""
How good the pipeline is, measured on the seed pages against the curated corpus.

Each seed page is ingested and compared with the curated article it became (found by its words, not
by file name). A suggestion matches a curated quote when, with white space and quotation marks folded
away, one contains the other and the shorter is at least 80% of the longer. Over all curated quotes:
recall (proposed at all) and speaker accuracy (proposed with the right speaker). Over all suggestions:
precision (a curated quote), where words the article attributes to an organisation count neither way.
Metadata: each field the seed gives must be right, each it does not give left empty; dates a curator
inferred are not scored.

Two directories are scored: the curated corpus's own experts and outlets ("known": re-ingesting a
page, or a new article about people the corpus has), and none at all ("cold": every speaker and outlet
must be read off the page, as for an article about people the corpus has never met).
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from corpus_app.provenance import normalise_for_matching

from . import pipeline
from .directory import Directory
from .people import fold_name

TARGETS = {"recall": 0.9, "speaker_accuracy": 0.85, "precision": 0.8, "metadata": 0.9}
METADATA_FIELDS = ("title", "author", "published_date", "outlet", "language", "url")
MATCH_RATIO = 0.8
_MARKS = re.compile(r"[\"'`]")


def fold_quote(text: str) -> str:
    return " ".join(_MARKS.sub(" ", normalise_for_matching(text)).split())


def same_quote(a: str, b: str) -> bool:
    a, b = fold_quote(a), fold_quote(b)
    if not a or not b:
        return False
    shorter, longer = sorted((a, b), key=len)
    return shorter in longer and len(shorter) / len(longer) >= MATCH_RATIO


@dataclass
class PageScore:
    seed: str
    article: str
    quotes: int = 0
    found: int = 0
    right_speaker: int = 0
    suggestions: int = 0
    correct_suggestions: int = 0
    metadata_checked: int = 0
    metadata_right: int = 0
    misses: list[str] = field(default_factory=list)


@dataclass
class Score:
    directory: str
    pages: list[PageScore]

    def _ratio(self, numerator: str, denominator: str) -> float:
        total = sum(getattr(p, denominator) for p in self.pages)
        return sum(getattr(p, numerator) for p in self.pages) / total if total else 1.0

    @property
    def measures(self) -> dict[str, float]:
        return {
            "recall": self._ratio("found", "quotes"),
            "speaker_accuracy": self._ratio("right_speaker", "quotes"),
            "precision": self._ratio("correct_suggestions", "suggestions"),
            "metadata": self._ratio("metadata_right", "metadata_checked"),
        }

    @property
    def passed(self) -> bool:
        return all(self.measures[name] >= target for name, target in TARGETS.items())


class CuratedCorpus:
    def __init__(self, fixture: Path):
        rows = json.loads(Path(fixture).read_text(encoding="utf-8"))
        self.articles = [r["fields"] for r in rows if r["model"] == "corpus_app.article"]
        self.quotes = [r["fields"] for r in rows if r["model"] == "corpus_app.quote"]
        self.experts = {r["fields"]["slug"]: r["fields"] for r in rows if r["model"] == "corpus_app.expert"}
        self.outlets = {r["fields"]["slug"]: r["fields"] for r in rows if r["model"] == "corpus_app.outlet"}

    def article_for(self, body: str) -> dict:
        words = set(fold_quote(body).split())
        return max(self.articles, key=lambda a: len(words & set(fold_quote(a["body"]).split())))


def evaluate(seeds: list[Path], fixture: Path, directory: Directory, label: str) -> Score:
    corpus = CuratedCorpus(fixture)
    pages = []
    for seed in seeds:
        text = seed.read_text(encoding="utf-8")
        draft = pipeline.from_content(text, directory=directory, html=seed.suffix in (".html", ".htm"))
        article = corpus.article_for(draft.body or text)
        page = PageScore(seed.name, article["slug"])
        _score_quotes(page, draft, corpus, article)
        _score_metadata(page, draft, corpus, article)
        pages.append(page)
    return Score(label, pages)


def _speaker_is(suggested, expert_slug: str, corpus: CuratedCorpus) -> bool:
    if suggested is None:
        return False
    if suggested.known is not None:
        return suggested.known.key == expert_slug
    expert = corpus.experts[expert_slug]
    return fold_name(suggested.name) in {fold_name(s) for s in (expert["name"], *expert["alternate_names"])}


def _score_quotes(page: PageScore, draft, corpus: CuratedCorpus, article: dict) -> None:
    curated = [q for q in corpus.quotes if q["article"][0] == article["slug"]]
    page.quotes = len(curated)
    for quote in curated:
        matches = [s for s in draft.suggestions if same_quote(s.text, quote["text"])]
        if matches:
            page.found += 1
            if any(_speaker_is(s.speaker, quote["speaker"][0], corpus) for s in matches):
                page.right_speaker += 1
            else:
                page.misses.append(f"speaker of “{quote['text'][:50]}…”")
        else:
            page.misses.append(f"not proposed: “{quote['text'][:50]}…”")
    for suggestion in draft.suggestions:
        if suggestion.speaker is None and suggestion.how == "organisation":
            continue  # words attributed to a body, not a person: neither right nor wrong
        page.suggestions += 1
        if any(same_quote(suggestion.text, q["text"]) for q in curated):
            page.correct_suggestions += 1
        else:
            page.misses.append(f"not curated: “{suggestion.text[:50]}…”")


def _score_metadata(page: PageScore, draft, corpus: CuratedCorpus, article: dict) -> None:
    meta = draft.meta
    outlet = corpus.outlets.get(article["outlet"][0]) if article["outlet"] else None
    if draft.outlet is not None:
        got_outlet = draft.outlet.key
        expected_outlet = outlet["slug"] if outlet else ""
    else:
        got_outlet = "".join(fold_name(draft.proposed_outlet))
        expected_outlet = "".join(fold_name(outlet["name"])) if outlet else ""
    checks = {
        "title": (meta.title, article["title"]),
        "author": (meta.author, article["author"]),
        "outlet": (got_outlet, expected_outlet),
        "language": (meta.language, article["language"]),
        "url": (meta.url, article["url"]),
    }
    if not article["published_date_inferred"]:
        got = (meta.published_date.isoformat() if meta.published_date else "", meta.published_date_precision)
        expected = (article["published_date"] or "", article["published_date_precision"])
        checks["published_date"] = (got, expected)
    for name, (got, expected) in checks.items():
        page.metadata_checked += 1
        if (got or "") == (expected or "") or (isinstance(got, tuple) and got == expected):
            page.metadata_right += 1
        else:
            page.misses.append(f"{name}: {got!r}, curated {expected!r}")


def table(scores: list[Score]) -> str:
    lines = [
        "| directory | recall | speaker accuracy | precision | metadata | all targets |",
        "|---|---|---|---|---|---|",
    ]
    for score in scores:
        m = score.measures
        cells = [f"{m[name]:.2f}" for name in ("recall", "speaker_accuracy", "precision", "metadata")]
        lines.append(f"| {score.directory} | " + " | ".join(cells) + f" | {'PASS' if score.passed else 'FAIL'} |")
    targets = ", ".join(f"{name.replace('_', ' ')} ≥ {value}" for name, value in TARGETS.items())
    lines.append(f"\nTargets: {targets}.")
    for score in scores:
        for page in score.pages:
            for miss in page.misses:
                lines.append(f"- {score.directory}, {page.seed}: {miss}")
    return "\n".join(lines)


def as_json(scores: list[Score]) -> dict:
    return {
        "targets": TARGETS,
        "results": [
            {
                "directory": s.directory,
                "measures": s.measures,
                "passed": s.passed,
                "pages": [p.__dict__ for p in s.pages],
            }
            for s in scores
        ],
    }
