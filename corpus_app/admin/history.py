"""What the history pages show of each change (django-simple-history's admin)."""

import dataclasses

from simple_history.template_utils import HistoricalRecordContextHelper

# Moved by every save: the entry's date already says when, and the version is how saves are told apart
# (models/base.py), not something a curator changed. Counts and search text are not in history at all.
BOOKKEEPING_FIELDS = frozenset({"version", "updated_at"})


class CuratedChangesHelper(HistoricalRecordContextHelper):
    """An entry's changes as a curator made them: "Role: analyst → astrologer", never "Version: 1 → 2"."""

    def context_for_delta_changes(self, delta):
        changes = [change for change in delta.changes if change.field not in BOOKKEEPING_FIELDS]
        fields = [field for field in delta.changed_fields if field not in BOOKKEEPING_FIELDS]
        return super().context_for_delta_changes(dataclasses.replace(delta, changes=changes, changed_fields=fields))
