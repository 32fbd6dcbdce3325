"""What an import's preview showed, carried signed to its confirm, so that the confirm writes that or nothing.

django-import-export's confirm step re-reads the uploaded file from temporary storage and imports it
again against the database as it is then. Between the preview and the confirm the stored file can
change, a record a row names can be deleted or edited, or another curator can add the record a row
meant to add; confirming would then write something nobody previewed (and, for an edited record,
silently overwrite someone's change). The preview therefore signs, into the confirm form, who
previewed which file of which model, a digest of the file, and per row what it would do to which
version of which record; the confirm checks all of it.
"""

import hashlib
import os
from dataclasses import dataclass

from django.core import signing

SALT = "corpus_app.admin.import_preview"
# The confirm form's fields the preview vouches for: which stored file, read how, into which resource.
BOUND_FIELDS = ("import_file_name", "original_file_name", "format", "resource")


class PreviewRefused(Exception):
    """The confirm does not match a preview this user made of this file; its message says why."""


@dataclass(frozen=True)
class RowOutcome:
    """What importing one row does: `new`, `update`, `skip`..., to which record, found at which version."""

    import_type: str
    object_id: str | None
    version: int | None
    label: str


def row_outcomes(result) -> dict[int, RowOutcome]:
    """Each valid row's outcome by row number (set by CorpusResource.after_import_row)."""
    outcomes = {}
    for row in result.valid_rows():
        new = row.import_type == "new"
        outcomes[row.row_number] = RowOutcome(
            import_type=row.import_type,
            # A new row's id exists only in the preview's rolled-back transaction: not comparable.
            object_id=None if new else str(row.object_id),
            version=getattr(row.original, "version", None),
            # The record as it was found, not as the row would make it.
            label=str(row.original) if row.original is not None else row.object_repr or "",
        )
    return outcomes


def _digest(data) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def _bound(fields: dict) -> dict:
    bound = {name: str(fields.get(name) or "") for name in BOUND_FIELDS}
    # The confirm form keeps only the file's base name; the preview knows its full path.
    bound["import_file_name"] = os.path.basename(bound["import_file_name"])
    return bound


def _owner(user, model) -> dict:
    return {"user": user.pk, "model": model._meta.label}


def sign(*, user, model, fields: dict, data, result) -> str:
    """The token the confirm form carries for a preview of `data` that gave `result`."""
    rows = {number: list(vars(outcome).values()) for number, outcome in row_outcomes(result).items()}
    payload = {**_owner(user, model), "fields": _bound(fields), "sha256": _digest(data), "rows": rows}
    return signing.dumps(payload, salt=SALT, compress=True)


@dataclass(frozen=True)
class Preview:
    sha256: str
    rows: dict[int, RowOutcome]

    def check_file(self, data) -> None:
        if _digest(data) != self.sha256:
            raise PreviewRefused("the stored file is no longer the one that was previewed.")

    def changes_since(self, result) -> list[str]:
        """Why the rows of `result` (the confirm's import) are not what the preview showed, one line each."""
        now = row_outcomes(result)
        return [
            f"row {number}: {change}"
            for number in sorted(now)
            if number in self.rows and (change := _change(self.rows[number], now[number]))
        ]


def _change(then: RowOutcome, now: RowOutcome) -> str | None:
    if then.import_type == "new" and now.import_type != "new":
        return f"“{now.label}” has been added by someone else since the preview, which would have added it"
    if then.import_type != "new" and now.import_type == "new":
        return f"“{then.label}” has been deleted since the preview, which would have changed it"
    if now.object_id != then.object_id:
        return f"the row now matches “{now.label}”, not “{then.label}” as in the preview"
    if now.import_type == "update" and (then.import_type != "update" or now.version != then.version):
        return (
            f"“{now.label}” has been changed by someone else since the preview (version {then.version} then, "
            f"{now.version} now); confirming would overwrite that change"
        )
    # Skipped now, or the same update of the same version: what gets written is what was previewed.
    return None


def load(token: str, *, user, model, fields: dict) -> Preview:
    """The preview `token` vouches for, if this user made it for this model and these confirm fields."""
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise PreviewRefused("this confirmation does not come from a preview.") from None
    made_by = {key: payload.get(key) for key in ("user", "model")}
    if made_by != _owner(user, model) or payload.get("fields") != _bound(fields):
        raise PreviewRefused("this confirmation does not match a preview you made of this file.")
    rows = {int(number): RowOutcome(*values) for number, values in payload["rows"].items()}
    return Preview(sha256=payload["sha256"], rows=rows)
