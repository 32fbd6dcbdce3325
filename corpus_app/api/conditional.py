"""Conditional GET (RFC 9110 §13): an unchanged read is answered 304 after one small query.

Validators come from the corpus's change stamp (corpus_app/changes.py), read before the records, so
a tag never names a newer state than the body it was sent with. A list's tag is
`"<stamp>.<variant>"`, a record's `"<version>.<stamp>.<variant>"`: the variant is a digest of what
selects the representation (path, query string, format), so a CSV and a JSON answer never share a tag.

The record's own version leads its tag because If-Match compares only that (views.check_if_match): a
write is stale when the record's own fields changed, not when a count or an embedded name did.

Last-Modified is the stamp's time rounded up to the second, and is sent only once that second is
over: HTTP dates have no fractions, so a change later in the same second would otherwise carry the
date a client already holds, and If-Modified-Since would answer 304 over it.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.http import HttpResponseNotModified
from django.utils import timezone
from django.utils.http import http_date, parse_etags, parse_http_date_safe, quote_etag

from corpus_app.changes import current_stamp

SKIPPED_FORMATS = ("api",)  # the browsable API shows who is signed in and forms: nothing to revalidate


@dataclass(frozen=True)
class ReadValidators:
    stamp: str
    variant: str
    changed_at: datetime | None
    is_record: bool = False  # a single record's read, not a list

    def list_etag(self) -> str:
        return quote_etag(f"{self.stamp}.{self.variant}")

    def record_etag(self, version) -> str:
        return quote_etag(f"{version}.{self.stamp}.{self.variant}")

    def last_modified(self) -> str | None:
        if self.changed_at is None:
            return None
        rounded_up = self.changed_at.replace(microsecond=0) + timedelta(seconds=1 if self.changed_at.microsecond else 0)
        if rounded_up > timezone.now():
            return None
        return http_date(rounded_up.timestamp())

    def matching_tag(self, header: str) -> str | None:
        """The tag of If-None-Match that names this state (weak comparison, as RFC 9110 asks), if any."""
        for tag in parse_etags(header):
            if tag == "*":
                continue
            bare = tag.removeprefix("W/").strip('"')
            state = f"{self.stamp}.{self.variant}"
            if bare == state or bare.endswith(f".{state}"):
                return quote_etag(bare)
        return None


def version_named_by(tag: str) -> str:
    """The record version a strong tag names: what leads a read's tag, or a write answer's bare "3"."""
    return tag.strip().strip('"').split(".")[0]


def read_validators(request, *, is_record: bool = False) -> ReadValidators | None:
    """The validators of a read, or None where conditional requests are not offered."""
    if request.method not in ("GET", "HEAD") or request.accepted_renderer.format in SKIPPED_FORMATS:
        return None
    stamp = current_stamp()
    selector = "\n".join(
        [request.path, repr(sorted(request.query_params.lists())), request.accepted_renderer.media_type]
    )
    variant = hashlib.blake2b(selector.encode(), digest_size=6).hexdigest()
    return ReadValidators(stamp.token, variant, stamp.changed_at, is_record)


def not_modified(request, validators: ReadValidators) -> HttpResponseNotModified | None:
    """A 304 if the client's copy is current (If-None-Match, or else If-Modified-Since), or None."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match:
        tag = validators.matching_tag(if_none_match)
        return _not_modified(tag, validators) if tag else None
    # A date is no tag of one URL's answer: a client may send the date of another URL, or of a record
    # since deleted. So only a list without parameters (nothing that could be invalid, nothing that
    # could be missing) is answered from If-Modified-Since; a date in the future is ignored (RFC 9110).
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    if since is None or since > timezone.now().timestamp() or request.META.get("QUERY_STRING"):
        return None
    if validators.is_record or validators.changed_at is None or validators.changed_at.timestamp() > since:
        return None
    return _not_modified(None, validators)


def _not_modified(tag: str | None, validators: ReadValidators) -> HttpResponseNotModified:
    response = HttpResponseNotModified()
    if tag:
        response["ETag"] = tag
    last_modified = validators.last_modified()
    if last_modified:
        response["Last-Modified"] = last_modified
    return response
