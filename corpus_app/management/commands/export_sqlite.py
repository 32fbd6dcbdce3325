from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from corpus_app.publish.metadata import ABOUT_KEYS
from corpus_app.publish.writer import SqliteExportError, corpus_sqlite_export, metadata_path_for


class Command(BaseCommand):
    help = (
        "Write a read-only SQLite copy of the corpus tables to FILE, for Datasette: no users, tokens, sessions "
        "or history; full-text indexes on articles, quotes, experts and visits; and Datasette metadata "
        "(FILE's name with .metadata.json, or --metadata). Serve it with "
        "`datasette serve --immutable FILE --metadata METADATA`. Contents: corpus_app/publish/."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--metadata", help="Where the Datasette metadata goes (default: beside FILE).")
        parser.add_argument("--force", action="store_true", help="Replace FILE and the metadata if they exist.")
        parser.add_argument("--database", default="default")
        for key in ABOUT_KEYS:
            parser.add_argument(f"--{key.replace('_', '-')}", dest=key, help=f"The metadata's {key}.")

    def handle(self, *args, file, metadata, force, database, **options):
        about = {key: options[key] for key in ABOUT_KEYS}
        try:
            summary = corpus_sqlite_export(file, metadata_path=metadata, force=force, about=about, using=database)
        except SqliteExportError as error:
            raise CommandError(str(error)) from error
        metadata = metadata or metadata_path_for(Path(file))
        self.stdout.write(self.style.SUCCESS(str(summary)))
        self.stdout.write(f"Serve it with: datasette serve --immutable {file} --metadata {metadata}")
