"""Which records were deleted since a moment: the half of a mirror that `?updated_since=` cannot give.

Read from the history django-simple-history keeps (a deletion is an entry of type "-"), so nothing
more is written on a delete. A record deleted and then restored (history's revert) is live again and
not listed; its restore moved its `updated_at`, so the lists give it back.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q

from corpus_app.models import Article, City, Expert, Outlet, Quote, Visit, VisitParticipant

# The API's names for each kind of record (its routes' basenames), in the order a page lists a moment's deletions.
DELETABLE = {
    "outlet": Outlet,
    "city": City,
    "expert": Expert,
    "visit": Visit,
    "visitparticipant": VisitParticipant,
    "article": Article,
    "quote": Quote,
}
RANK = {name: rank for rank, name in enumerate(DELETABLE)}


@dataclass(frozen=True)
class Deletion:
    type: str
    id: int
    natural_key: list
    deleted_at: datetime.datetime
    history_id: int

    @property
    def position(self) -> list:
        """Where the deletion stands in the feed's order: when, then kind, then its history entry."""
        return [self.deleted_at, RANK[self.type], self.history_id]


def deletions_since(since: datetime.datetime, *, types=None, after: list | None = None, limit: int = 100):
    """Deletions at or after `since` of records not live now, oldest first; at most `limit` + 1 (the
    one more tells that another page follows). `after` is the position of the previous page's last."""
    found = []
    for name in types or DELETABLE:
        model = DELETABLE[name]
        entries = model.history.filter(history_type="-", history_date__gte=since).exclude(
            id__in=model._base_manager.values("pk")
        )
        if after is not None:
            entries = entries.filter(_after(after, RANK[name]))
        rows = list(entries.order_by("history_date", "history_id")[: limit + 1])
        keys = natural_keys(name, rows)
        found += [Deletion(name, row.id, keys[row.history_id], row.history_date, row.history_id) for row in rows]
    found.sort(key=lambda deletion: deletion.position)
    return found[: limit + 1]


def _after(position: list, rank: int) -> Q:
    """The entries of a kind ranked `rank` that come after `position` in the feed's order."""
    date, after_rank, history_id = position
    if rank < after_rank:
        return Q(history_date__gt=date)
    if rank > after_rank:
        return Q(history_date__gte=date)
    return Q(history_date__gt=date) | Q(history_date=date, history_id__gt=history_id)


def natural_keys(name: str, entries) -> dict[int, list]:
    """Each deleted record's natural key, as fixtures and archives name it: a slug; a quote's article
    slug and text digest; a participation's visit slug, person slug and role. Looked up in one query
    per kind of related record, from the live rows or, when deleted too, their last history entry."""
    if name == "quote":
        slugs = _slugs(Article, {entry.article_id for entry in entries})
        return {entry.history_id: [slugs.get(entry.article_id), entry.text_digest] for entry in entries}
    if name == "visitparticipant":
        visits = _slugs(Visit, {entry.visit_id for entry in entries})
        people = _slugs(Expert, {entry.person_id for entry in entries})
        return {
            entry.history_id: [visits.get(entry.visit_id), people.get(entry.person_id), entry.role] for entry in entries
        }
    return {entry.history_id: [entry.slug] for entry in entries}


def _slugs(model, pks: set) -> dict:
    slugs = dict(model._base_manager.filter(pk__in=pks).values_list("pk", "slug"))
    gone = pks - slugs.keys()
    if gone:
        for pk, slug in model.history.filter(id__in=gone).order_by("history_id").values_list("id", "slug"):
            slugs[pk] = slug  # the latest entry last: its slug wins
    return slugs
