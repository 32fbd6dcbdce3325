from django.core.management.base import BaseCommand, CommandError

from corpus_app.counts import count_drift, recount
from corpus_app.models import Article
from corpus_app.provenance import corpus_audit
from corpus_app.search.maintenance import search_text_refresh


class Command(BaseCommand):
    help = (
        "Check every quote against its article (provenance, position, visit) and every maintained count "
        "against the rows it counts; exit 1 if any fails. --fix-counts recounts them all; --fix-search "
        "folds every record's search text again (after writes around the application)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix-counts", action="store_true", help="Recompute every count column from the rows (counts.py)."
        )

        parser.add_argument(
            "--fix-search",
            action="store_true",
            help="Store every record's search text folded again, where it differs (corpus_app/search/).",
        )

    def handle(self, *args, **options):
        if options["fix_counts"]:
            recount()
        if options["fix_search"]:
            corrected = search_text_refresh()
            self.stdout.write(
                "Search text folded again: " + ", ".join(f"{n} {label}" for label, n in corrected.items())
            )
        problems = [*corpus_audit(Article.objects.all()), *count_drift()]
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            hint = "" if options["fix_counts"] else " Counts that drifted are recomputed by --fix-counts."
            raise CommandError(f"{len(problems)} problem(s) found.{hint}")
        self.stdout.write(self.style.SUCCESS("Corpus is consistent: every quote is in its article, every count right."))
