"""`python manage.py evaluate_ingest`: score the ingest pipeline on the seed pages (ingest/evaluation.py)."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from corpus_app.ingest import evaluation
from corpus_app.ingest.directory import Directory


class Command(BaseCommand):
    help = "Run the ingest pipeline on the seed pages and score it against the curated corpus."

    def add_arguments(self, parser):
        base = Path(settings.BASE_DIR)
        parser.add_argument("--seeds", type=Path, default=base / "fixtures" / "seeds", help="Seed pages (.txt, .html).")
        parser.add_argument("--fixture", type=Path, default=base / "fixtures" / "corpus.json")
        parser.add_argument("--output", type=Path, default=base / "bench" / "results", help="Where ingest.md/.json go.")
        parser.add_argument("--check", action="store_true", help="Exit with an error when a target is missed.")

    def handle(self, *args, seeds: Path, fixture: Path, output: Path, check: bool, **options):
        pages = sorted(p for p in seeds.glob("*") if p.suffix in (".txt", ".html", ".htm"))
        if not pages:
            raise CommandError(f"No seed pages (.txt, .html) in {seeds}.")
        if not fixture.exists():
            raise CommandError(f"No curated corpus at {fixture}.")
        scores = [
            evaluation.evaluate(pages, fixture, Directory.from_fixture(fixture), "known"),
            evaluation.evaluate(pages, fixture, Directory.empty(), "cold"),
        ]
        report = evaluation.table(scores)
        self.stdout.write(report)
        output.mkdir(parents=True, exist_ok=True)
        (output / "ingest.md").write_text(
            f"# Ingest quality on {len(pages)} seed pages\n\n{report}\n", encoding="utf-8"
        )
        (output / "ingest.json").write_text(json.dumps(evaluation.as_json(scores), indent=2), encoding="utf-8")
        self.stdout.write(f"\nWritten to {output / 'ingest.md'} and {output / 'ingest.json'}.")
        if check and not all(score.passed for score in scores):
            raise CommandError("A quality target was missed.")
