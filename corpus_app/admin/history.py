"""What the history pages show of each change (django-simple-history's admin)."""

import dataclasses

from simple_history.template_utils import HistoricalRecordContextHelper

from corpus_app.services.history import BOOKKEEPING_FIELDS


class CuratedChangesHelper(HistoricalRecordContextHelper):
    """An entry's changes as a curator made them: "Role: analyst → astrologer", never "Version: 1 → 2"."""

    def context_for_delta_changes(self, delta):
        changes = [change for change in delta.changes if change.field not in BOOKKEEPING_FIELDS]
        fields = [field for field in delta.changed_fields if field not in BOOKKEEPING_FIELDS]
        return super().context_for_delta_changes(dataclasses.replace(delta, changes=changes, changed_fields=fields))
