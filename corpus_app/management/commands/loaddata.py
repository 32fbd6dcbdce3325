"""`loaddata` that never silently reverts curated records (see corpus_app/services/fixture_reload.py)."""

from django.core.management.base import CommandError
from django.core.management.commands import loaddata

from corpus_app.counts import after_bulk_load
from corpus_app.services.fixture_reload import (
    RowDifference,
    fixture_row_differences,
    fixture_row_overwrite,
    row_label,
    stored_record,
)
from corpus_app.services.history import FIXTURE_OVERWRITE_REASON, history_baseline_create
from corpus_app.sync import loading_raw_rows

LISTED_AT_MOST = 50


class Command(loaddata.Command):
    help = (
        f"{loaddata.Command.help} Corpus records that already exist are compared with the fixture: identical "
        "ones are left alone, and if any differ nothing is loaded unless --overwrite is given, which saves "
        "each as a new version with history."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Replace corpus records that differ from the fixture, each saved as its next version with history.",
        )

    def handle(self, *fixture_labels, **options):
        self.overwrite = options["overwrite"]
        self.differences: list[RowDifference] = []
        super().handle(*fixture_labels, **options)

    def loaddata(self, fixture_labels):
        self.fixture_labels = fixture_labels
        super().loaddata(fixture_labels)
        if self.differences and not self.overwrite:
            listed = [f"  {difference}" for difference in self.differences[:LISTED_AT_MOST]]
            if len(self.differences) > LISTED_AT_MOST:
                listed.append(f"  … and {len(self.differences) - LISTED_AT_MOST} more")
            raise CommandError(
                f"{len(self.differences)} record(s) in the database differ from the fixture, so nothing was "
                "loaded (curators may have changed them):\n" + "\n".join(listed) + "\nTo replace them with the "
                "fixture's values, each saved as a new version with history, run again with --overwrite."
            )
        # Rows new to the database loaded raw, without history: give them their first entry.
        history_baseline_create(self.models)
        if self.loaded_object_count:
            # Raw saves move no counts (a reloaded row cannot tell what it held before): count them all.
            after_bulk_load(self.using)

    def save_obj(self, obj):
        record = stored_record(obj)
        if record is None:
            with loading_raw_rows():  # the row and its links keep the fixture's timestamps
                return super().save_obj(obj)
        obj.object.validate_fixture_row()  # a bad row is refused as such, before any comparison
        fields = fixture_row_differences(obj, record)
        if not fields:
            return False
        self.differences.append(RowDifference(row_label(record), fields))
        if self.overwrite:
            reason = f"{FIXTURE_OVERWRITE_REASON} {', '.join(self.fixture_labels)}"[:100]
            fixture_row_overwrite(obj, record, fields, reason=reason)
        return self.overwrite
