"""Which records were deleted since a moment: the half of a mirror that `?updated_since=` cannot give.

Read from the history django-simple-history keeps (a deletion is an entry of type "-"), so nothing
more is written on a delete. A record deleted and then restored (history's revert) is live again and
not listed; its restore moved its `updated_at`, so the lists give it back.

A natural key can outlive its record: a quote added again to its article, a new city given the slug of
a deleted one, an outlet renamed to it. Such a deletion is listed without its key (`key_now_held`): a
copy kept by natural key would otherwise delete the live record under it. By id it is still deleted;
and by key it has nothing left to do, since the live holder took the key after the deletion, so its
`updated_at` (moved by its own save, or by the rename of a record its key names, sync.py) is later
than any `since` the deletion is listed for, and the lists give the holder in the same round.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

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
# What names a record of each kind, as fixtures and archives do: columns of its history entry, or
# annotated on it by _keyed() from the columns read for them. Every other kind is named by its slug.
NATURAL_KEY_COLUMNS = {
    "quote": ("article_slug", "text_digest"),
    "visitparticipant": ("visit_slug", "person_slug", "role"),
}
KEY_SOURCES = {"quote": ("article_id", "text_digest"), "visitparticipant": ("visit_id", "person_id", "role")}


@dataclass(frozen=True)
class Deletion:
    type: str
    id: int
    natural_key: list | None  # None when key_now_held
    key_now_held: bool
    deleted_at: datetime.datetime
    history_id: int

    @property
    def position(self) -> list:
        """Where the deletion stands in the feed's order: when, then kind, then its history entry."""
        return [self.deleted_at, RANK[self.type], self.history_id]


def deletions_since(since: datetime.datetime, *, types=None, after: list | None = None, limit: int = 100):
    """Deletions at or after `since` of records not live now, oldest first; at most `limit` + 1 (the
    one more tells that another page follows). `after` is the position of the previous page's last.
    One query per kind of record, whatever the number of rows: each entry's key comes with it."""
    found = []
    for name in types or DELETABLE:
        model = DELETABLE[name]
        # NOT EXISTS, not NOT IN: an anti-join probing the primary key for each entry read, where NOT IN
        # hashed every live id of the table on each page (half a million quotes).
        live = model._base_manager.filter(pk=OuterRef("id"))
        entries = model.history.filter(history_type="-", history_date__gte=since).exclude(Exists(live))
        if after is not None:
            entries = entries.filter(_after(after, RANK[name]))
        for row in _keyed(name, entries).order_by("history_date", "history_id")[: limit + 1]:
            key = [getattr(row, column) for column in NATURAL_KEY_COLUMNS.get(name, ("slug",))]
            held = row.key_now_held
            found.append(Deletion(name, row.id, None if held else key, held, row.history_date, row.history_id))
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


def _keyed(name: str, entries):
    """`entries` with each deleted record's natural key, as fixtures and archives name it (a slug; a
    quote's article slug and text digest; a participation's visit slug, person slug and role), and
    `key_now_held`: whether a live record of the kind has that key now. Subqueries in the entries'
    own query, each an index lookup (the slugs and each kind's unique key are indexed). Only those
    columns are read: an entry holds the whole record, an article's body with it."""
    entries = entries.only("id", "history_id", "history_date", *KEY_SOURCES.get(name, ("slug",)))
    if name == "quote":
        entries = entries.annotate(article_slug=_slug_of(Article, "article_id"))
        holders = Quote._base_manager.filter(
            article__slug=OuterRef("article_slug"), text_digest=OuterRef("text_digest")
        )
    elif name == "visitparticipant":
        entries = entries.annotate(visit_slug=_slug_of(Visit, "visit_id"), person_slug=_slug_of(Expert, "person_id"))
        holders = VisitParticipant._base_manager.filter(
            visit__slug=OuterRef("visit_slug"), person__slug=OuterRef("person_slug"), role=OuterRef("role")
        )
    else:
        holders = DELETABLE[name]._base_manager.filter(slug=OuterRef("slug"))
    return entries.annotate(key_now_held=Exists(holders))


def _slug_of(model, column: str) -> Coalesce:
    """The slug of the `model` record an entry's `column` names: the live row's, else (deleted too) its
    latest history entry's."""
    live = model._base_manager.filter(pk=OuterRef(column)).order_by().values("slug")
    latest = model.history.filter(id=OuterRef(column)).order_by("-history_id").values("slug")[:1]
    return Coalesce(Subquery(live), Subquery(latest))
