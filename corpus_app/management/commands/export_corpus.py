import sys

from django.core.management.base import BaseCommand

from corpus_app.archive.export import corpus_export


class Command(BaseCommand):
    help = (
        "Write the whole corpus to FILE (- for stdout) as an archive: NDJSON (default) or one JSON array, "
        "streamed in constant memory; relations by slug, timestamps to the microsecond. History is not "
        "included. import_corpus loads it into an empty database. Format: corpus_app/archive/__init__.py."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--format", choices=("ndjson", "json"), default="ndjson")
        parser.add_argument("--database", default="default")

    def handle(self, *args, file, format, database, **options):
        if file == "-":
            summary = corpus_export(out=sys.stdout.buffer, fmt=format, using=database)
        else:
            with open(file, "wb") as out:
                summary = corpus_export(out=out, fmt=format, using=database)
        # The summary goes to stderr when the archive itself is on stdout.
        (self.stderr if file == "-" else self.stdout).write(self.style.SUCCESS(str(summary)))
