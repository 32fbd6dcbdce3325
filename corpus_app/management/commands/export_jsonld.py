import sys
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError

from corpus_app.api.linked_data_dump import corpus_jsonld_export


def checked_base_url(value: str) -> str:
    """Where the API is served: an http(s) address, perhaps with a path, without query or fragment."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise CommandError(
            f"--base-url {value!r}: give the address the API is served at, e.g. https://corpus.example.org "
            "(http or https, without query or fragment)."
        )
    return value


class Command(BaseCommand):
    help = (
        "Write every record of the corpus to FILE (- for stdout) as one JSON-LD document with schema.org types "
        "(one @graph, the @context inline), streamed in constant memory from one snapshot. Each record's @id is "
        "its address in the API under --base-url, as the API's JSON-LD answers (Accept: application/ld+json) write it."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--base-url",
            required=True,
            help="Where the API is served (https://corpus.example.org): the records' @ids are their addresses there.",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, file, base_url, database, **options):
        address = checked_base_url(base_url)
        if file == "-":
            written = corpus_jsonld_export(out=sys.stdout.buffer, base_url=address, using=database)
        else:
            with open(file, "wb") as out:
                written = corpus_jsonld_export(out=out, base_url=address, using=database)
        counts = ", ".join(f"{count} {name}" for name, count in written.items())
        summary = f"Wrote {written.total()} records as JSON-LD ({counts or 'none'})."
        # The summary goes to stderr when the document itself is on stdout.
        (self.stderr if file == "-" else self.stdout).write(self.style.SUCCESS(summary))
