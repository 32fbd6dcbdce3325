import sys

from django.core.management.base import BaseCommand, CommandError

from corpus_app.archive.export import RecordWriter
from corpus_app.archive.generate import corpus_records, proportions
from corpus_app.archive.import_ import records_import
from corpus_app.archive.progress import Summary, counted_kind, progress_bar
from corpus_app.archive.reader import ArchiveError
from corpus_app.archive.records import HEADER


class Command(BaseCommand):
    help = (
        "Generate a synthetic corpus of --articles articles, the same for the same --seed, valid under every "
        "corpus rule, and load it into the (empty) database through the bulk import, or write it as an archive "
        "with --output. Per N articles it makes N/500 outlets, N/200 cities, N/10 experts (most with "
        "alternate spellings), N/50 visits with 1-3 participants each (a few of each at least), articles of "
        "3-6 kB of paragraphs, and about --quotes-per-article quotes per article, each a sentence of its body."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True, help="How many articles.")
        parser.add_argument("--seed", type=int, default=0, help="The same seed and size give the same corpus.")
        parser.add_argument("--quotes-per-article", type=int, default=5, help="Average quotes per article (5).")
        parser.add_argument("--output", help="Write an NDJSON archive to this file (- for stdout) instead of loading.")
        parser.add_argument("--database", default="default")

    def handle(self, *args, articles, seed, quotes_per_article, output, database, **options):
        if articles < 0 or quotes_per_article < 0:
            raise CommandError("--articles and --quotes-per-article take whole numbers from 0.")
        records = corpus_records(articles=articles, seed=seed, quotes_per_article=quotes_per_article)
        sizes = ", ".join(counted_kind(n, kind) for kind, n in proportions(articles).items())
        self.stderr.write(f"Generating (seed {seed}): {sizes}, about {quotes_per_article} quotes per article.")
        if output:
            summary = self._write(records, output, articles)
        else:
            try:
                summary = records_import(records=records, using=database, total=articles)
            except ArchiveError as error:
                raise CommandError(f"Nothing was loaded: {error}") from None
            summary.action = "Generated and loaded"
        self.stdout.write(self.style.SUCCESS(str(summary)))

    def _write(self, records, output, articles) -> Summary:
        summary = Summary("Generated")
        out = sys.stdout.buffer if output == "-" else open(output, "wb")  # noqa: SIM115 (closed below)
        try:
            writer = RecordWriter(out, "ndjson")
            writer.write(HEADER)
            with progress_bar(total=articles, desc="generate", unit="article") as bar:
                for _where, record in records:
                    writer.write(record)
                    bar.update(record["record"] == "article")
            writer.close()
        finally:
            if out is not sys.stdout.buffer:
                out.close()
        summary.counts, summary.bytes = record["counts"], writer.bytes
        return summary.finish()
