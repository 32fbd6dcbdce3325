import os
import sys

from django.core.management.base import BaseCommand, CommandError

from corpus_app.archive.import_ import corpus_import
from corpus_app.archive.reader import ArchiveError


class Command(BaseCommand):
    help = (
        "Load an archive written by export_corpus (NDJSON or JSON; FILE - for stdin) into an empty corpus, in "
        "one transaction, checking every corpus rule on every record. On a bad record it names its line and "
        "the reason, and loads nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--format", choices=("ndjson", "json"), help="Default: told apart by the first byte.")
        parser.add_argument("--database", default="default")

    def handle(self, *args, file, format, database, **options):
        try:
            if file == "-":
                summary = corpus_import(stream=sys.stdin.buffer, fmt=format, using=database)
            else:
                with open(file, "rb") as stream:
                    summary = corpus_import(stream=stream, fmt=format, using=database, size=os.path.getsize(file))
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        except ArchiveError as error:
            raise CommandError(f"Nothing was imported. {file}, {error}") from None
        self.stdout.write(self.style.SUCCESS(str(summary)))
