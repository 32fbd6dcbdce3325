"""`python manage.py ingest FILE…`: draft articles and quote suggestions from saved pages, saving nothing.

For a batch of pages: each is read as the admin's "Add article from page" and POST /api/ingest/ read
it, against the corpus as it stands, and what the pipeline found is printed (or written as JSON with
--json, in the API's form, for a script to accept through POST /api/ingest/accept/). The curator
judges: accepting happens in the admin or through the API, never here.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from corpus_app.api.ingest import PAGE_MAX_CHARS, draft_representation
from corpus_app.archive.progress import progress_bar
from corpus_app.ingest import pages, pipeline, review
from corpus_app.ingest.directory import Directory


class Command(BaseCommand):
    help = "Draft articles and quote suggestions from saved web pages (HTML) or copied text files; saves nothing."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="Saved pages: .html or .txt.")
        parser.add_argument("--url", default="", help="The page's address (only with one FILE).")
        parser.add_argument(
            "--json",
            dest="json_out",
            type=Path,
            metavar="OUT",
            help="Write every draft here, as POST /api/ingest/ answers.",
        )
        parser.add_argument(
            "--progress", action="store_true", help="Show the progress bar even when not on a terminal."
        )

    def handle(self, *args, files: list[Path], url: str, json_out: Path | None, progress: bool, **options):
        missing = [str(path) for path in files if not path.is_file()]
        if missing:
            raise CommandError(f"No such file: {', '.join(missing)}")
        if url and len(files) > 1:
            raise CommandError("--url names one page's address: give it with one FILE.")
        directory = Directory.from_database()
        drafts = []
        totals = {"pages": 0, "suggestions": 0, "held back": 0, "empty": 0}
        with progress_bar(total=len(files), unit="page", enabled=progress or None, desc="Ingesting") as bar:
            for path in files:
                drafted = self._draft(path, url, directory)
                bar.update()
                totals["pages"] += 1
                if drafted is None:
                    totals["empty"] += 1
                    continue
                drafts.append({"file": str(path), **drafted})
                totals["suggestions"] += len(drafted["suggestions"])
                totals["held back"] += sum(drafted["held_back"].values())
        if json_out is not None:
            json_out.write_text(json.dumps(drafts, ensure_ascii=False, indent=2), encoding="utf-8")
        else:
            for drafted in drafts:
                self._print(drafted)
        summary = ", ".join(f"{n} {what}" for what, n in totals.items() if n or what == "suggestions")
        where = f"; written to {json_out}" if json_out is not None else ""
        self.stdout.write(f"Ingested {summary}{where}. Nothing was saved: accept in the admin or the API.")

    def _draft(self, path: Path, url: str, directory: Directory) -> dict | None:
        content = pages.decode(path.read_bytes())
        if len(content) > PAGE_MAX_CHARS:
            self.stderr.write(f"{path}: skipped, longer than {PAGE_MAX_CHARS:,} characters.")
            return None
        html = path.suffix.lower() in (".html", ".htm") or None
        draft = pipeline.from_content(content, url=url, directory=directory, html=html)
        if draft.problem:
            self.stderr.write(f"{path}: skipped. {draft.problem}")
            return None
        return draft_representation(review.screen(draft))

    def _print(self, drafted: dict) -> None:
        article = drafted["article"]
        outlet = article["outlet"]["name"] if article["outlet"] else article["proposed_outlet"] or "outlet unknown"
        date = article["published_date"] or "date unknown"
        self.stdout.write(self.style.MIGRATE_HEADING(f"{drafted['file']}: {article['title'] or '(no title)'}"))
        self.stdout.write(f"  {outlet}, {date} ({article['published_date_precision']}), {article['language']}")
        if article["existing_article"]:
            self.stdout.write(f"  Already in the corpus as {article['existing_article']['slug']}.")
        held = drafted["held_back"]
        if any(held.values()):
            self.stdout.write(f"  Held back: {held['rejected']} rejected before, {held['curated']} already curated.")
        for suggestion in drafted["suggestions"]:
            speaker = suggestion["speaker"]
            who = "speaker unknown" if speaker is None else speaker["name"] + (" (new)" if speaker["new"] else "")
            words = suggestion["text"] if len(suggestion["text"]) <= 90 else suggestion["text"][:89] + "…"
            self.stdout.write(f"  {suggestion['confidence']:.2f}  {who}: “{words}”")
