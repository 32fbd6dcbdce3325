"""The counts lists show beside records (an article's quotes, a visit's articles), kept in columns.

Counting at read time cost a subquery per listed row (33 ms for one page of experts at 100,000 quotes,
growing with the corpus), and no index can serve an ordering by such a count. So each count is a
column (models.base.MaintainedCount) that every write moving it adjusts by one, with F() so that two
concurrent writers both count. `recount()` recomputes every column from the rows: bulk loads (which
write rows without signals) call it, and `check_corpus` compares against it to catch drift.

Receivers are connected per sender in `connect_receivers` (apps.ready). Raw fixture saves are skipped:
`loaddata` recounts once it is done, since a raw save cannot tell what a reloaded row held before.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from corpus_app import sync
from corpus_app.changes import record_change
from corpus_app.models import Article, City, Expert, Outlet, Quote, Visit
from corpus_app.models.base import count_where


@dataclass(frozen=True)
class CountColumn:
    """`model.field` counts the `counted` rows whose `key` is the record (distinct values of `distinct`)."""

    model: type[models.Model]
    field: str
    counted: type[models.Model]
    key: str
    distinct: str | None = None

    def actual(self):
        return count_where(self.counted._default_manager.all(), self.key, distinct=self.distinct)

    def __str__(self):
        return f"{self.model._meta.model_name}.{self.field}"


COUNT_COLUMNS = (
    CountColumn(Article, "quote_count", Quote, "article"),
    CountColumn(Expert, "quote_count", Quote, "speaker"),
    CountColumn(Expert, "article_count", Quote, "speaker", distinct="article"),
    CountColumn(Visit, "quote_count", Quote, "visit"),
    CountColumn(Visit, "article_count", Article.visits.through, "visit"),
    CountColumn(Outlet, "article_count", Article, "outlet"),
    CountColumn(City, "visit_count", Visit.cities.through, "city"),
)


_EXPERT_ARTICLES = next(column for column in COUNT_COLUMNS if column.model is Expert and column.distinct)


def recount(using: str = "default") -> None:
    """Set every count column from the rows it counts (one UPDATE per column); the change stamp moves,
    since any count it corrects changes what reads show."""
    for column in COUNT_COLUMNS:
        column.model._base_manager.using(using).update(**{column.field: column.actual()})
    record_change(using)


def after_bulk_load(using: str = "default") -> None:
    """What a load that wrote rows without signals (import_corpus, loaddata) owes: counts and the stamp."""
    recount(using)


@dataclass(frozen=True)
class CountDrift:
    column: CountColumn
    slug: str
    stored: int
    actual: int

    def __str__(self):
        return f"{self.column} of {self.slug} is {self.stored}, but {self.actual} rows are counted"


def count_drift(using: str = "default", *, at_most: int = 50) -> list[CountDrift]:
    """Records whose stored count differs from the rows (a write around the ORM, a bug): at most `at_most`."""
    drift = []
    for column in COUNT_COLUMNS:
        rows = (
            column.model._base_manager.using(using)
            .annotate(actual_count=column.actual())
            .exclude(**{column.field: F("actual_count")})
            .values_list("slug", column.field, "actual_count")[: at_most - len(drift)]
        )
        drift.extend(CountDrift(column, slug, stored, actual) for slug, stored, actual in rows)
        if len(drift) >= at_most:
            break
    return drift


def _add(model, pks, field: str, delta: int) -> None:
    """Move a count; the record's updated_at moves with it, since its reads show the count (sync.py)."""
    pks = [pk for pk in pks if pk is not None]
    if pks and delta:
        moved = {field: F(field) + delta}
        if (now := sync.now_unless_loading()) is not None:
            moved["updated_at"] = now
        model._base_manager.filter(pk__in=pks).update(**moved)


# ------------------------------------------------------------------ quotes
QUOTE_KEYS = ("article_id", "speaker_id", "visit_id")


def _moves(old: dict | None, new: dict | None) -> dict[tuple, int]:
    """The ±1 each count column takes when a quote goes from `old` keys to `new` (None: absent)."""
    deltas: dict[tuple, int] = {}
    for keys, delta in ((old, -1), (new, +1)):
        if keys is None:
            continue
        for model, key in ((Article, "article_id"), (Expert, "speaker_id"), (Visit, "visit_id")):
            if keys[key] is not None and (old is None or new is None or old[key] != new[key]):
                slot = (model, "quote_count", keys[key])
                deltas[slot] = deltas.get(slot, 0) + delta
    return {slot: delta for slot, delta in deltas.items() if delta}


def _pair(keys: dict | None):
    return None if keys is None else (keys["article_id"], keys["speaker_id"])


def _quote_counted(quote_pk, old: dict | None, new: dict | None) -> None:
    """Move the counts a quote's keys feed, rows locked in one order (articles, experts, visits, each by
    id) so that two writers moving quotes between the same records cannot deadlock on them."""
    rank = {Article: 0, Expert: 1, Visit: 2}
    for (model, field, pk), delta in sorted(_moves(old, new).items(), key=lambda item: (rank[item[0][0]], item[0][2])):
        _add(model, [pk], field, delta)
    if _pair(old) == _pair(new):
        return  # the same speaker in the same article: the articles quoting them are unchanged
    for pair, delta in sorted(((_pair(old), -1), (_pair(new), +1)), key=lambda item: (item[0] is None, item[0])):
        if pair is None:
            continue
        article, speaker = pair
        others = Quote._base_manager.filter(article_id=article, speaker_id=speaker).exclude(pk=quote_pk)
        if others.exists():
            continue
        if delta > 0:
            _add(Expert, [speaker], "article_count", delta)
        else:
            # Counted again rather than less one: a batch delete removes every row before the first
            # post_delete, so each of an article's deleted quotes by this speaker would find no other.
            recounted = {"article_count": _EXPERT_ARTICLES.actual()}
            if (now := sync.now_unless_loading()) is not None:
                recounted["updated_at"] = now
            Expert._base_manager.filter(pk=speaker).update(**recounted)


def _quote_keys(quote) -> dict:
    return {key: getattr(quote, key) for key in QUOTE_KEYS}


def _stored_keys(quote) -> dict | None:
    """The keys the quote's row holds now, before this save or delete changes them."""
    return Quote._base_manager.filter(pk=quote.pk).values(*QUOTE_KEYS).first()


def quote_before_save(sender, instance, raw, **kwargs):
    if raw or instance._state.adding or instance.pk is None:
        return
    instance._counted_keys = _stored_keys(instance)


def quote_saved(sender, instance, created, raw, **kwargs):
    if raw:
        return
    new = _quote_keys(instance)
    old = None if created else getattr(instance, "_counted_keys", None)
    if created or old is not None:
        _quote_counted(instance.pk, old, new)
    instance._counted_keys = new


def quote_before_delete(sender, instance, **kwargs):
    instance._counted_keys = _stored_keys(instance)


def quote_deleted(sender, instance, **kwargs):
    keys = getattr(instance, "_counted_keys", None) or _quote_keys(instance)
    _quote_counted(instance.pk, keys, None)


# ------------------------------------------------------------------ articles and their outlet
def article_before_save(sender, instance, raw, **kwargs):
    if raw or instance._state.adding or instance.pk is None:
        return
    instance._counted_outlet = Article._base_manager.filter(pk=instance.pk).values_list("outlet_id", flat=True).first()


def article_saved(sender, instance, created, raw, **kwargs):
    if raw:
        return
    old = None if created else getattr(instance, "_counted_outlet", None)
    if old != instance.outlet_id:
        _add(Outlet, [old], "article_count", -1)
        _add(Outlet, [instance.outlet_id], "article_count", +1)
    instance._counted_outlet = instance.outlet_id


def article_before_delete(sender, instance, **kwargs):
    # The article's links to visits go with it, without an m2m_changed signal.
    _add(Visit, instance.visits.values_list("pk", flat=True), "article_count", -1)


def article_deleted(sender, instance, **kwargs):
    _add(Outlet, [instance.outlet_id], "article_count", -1)


def visit_before_delete(sender, instance, **kwargs):
    _add(City, instance.cities.values_list("pk", flat=True), "visit_count", -1)


# ------------------------------------------------------------------ links: article↔visit, visit↔city
def links_changed(counted_model, field: str, forward_key: str, reverse_key: str):
    """An m2m_changed receiver keeping `counted_model.field` (the number of links to each) right.

    Forward (article.visits.add(...)): the counted records are pk_set. Reverse (visit.articles.add(...)):
    the counted record is the instance itself, moving by the number of links made or removed.
    remove() and clear() report ids that may not be linked, so those are read before the change.
    """

    def receiver(sender, instance, action, reverse, pk_set, **kwargs):
        through = sender._base_manager
        own_key, other_key = (reverse_key, forward_key) if reverse else (forward_key, reverse_key)
        if action in ("pre_remove", "pre_clear"):
            linked = through.filter(**{own_key: instance.pk})
            if action == "pre_remove":
                linked = linked.filter(**{f"{other_key}__in": pk_set})
            instance._links_removed = list(linked.values_list(other_key, flat=True))
            return
        if action == "post_add":
            changed, delta = list(pk_set), +1
        elif action in ("post_remove", "post_clear"):
            changed, delta = getattr(instance, "_links_removed", []), -1
        else:
            return
        if reverse:
            _add(counted_model, [instance.pk], field, delta * len(changed))
        else:
            _add(counted_model, changed, field, delta)

    return receiver


article_visits_changed = links_changed(Visit, "article_count", "article_id", "visit_id")
visit_cities_changed = links_changed(City, "visit_count", "visit_id", "city_id")


def connect_receivers() -> None:
    for signal, receiver, sender in (
        (pre_save, quote_before_save, Quote),
        (post_save, quote_saved, Quote),
        (pre_delete, quote_before_delete, Quote),
        (post_delete, quote_deleted, Quote),
        (pre_save, article_before_save, Article),
        (post_save, article_saved, Article),
        (pre_delete, article_before_delete, Article),
        (post_delete, article_deleted, Article),
        (pre_delete, visit_before_delete, Visit),
        (m2m_changed, article_visits_changed, Article.visits.through),
        (m2m_changed, visit_cities_changed, Visit.cities.through),
    ):
        signal.connect(receiver, sender=sender, dispatch_uid=f"counts_{receiver.__name__}_{sender._meta.label}")
