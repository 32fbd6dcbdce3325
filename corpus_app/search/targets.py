"""What each kind of record brings to a mixed search: which rows, how filtered, what a hit shows.

A filter a kind has no meaning for (the outlet of an expert) leaves that kind out of the results
rather than ignoring the filter: a search filtered by outlet lists only what that outlet published.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet

from corpus_app.models import Article, Expert, Quote, Visit, VisitParticipant

ArticleVisit = Article.visits.through


@dataclass(frozen=True)
class SearchFilters:
    expert: int | None = None
    visit: int | None = None
    outlet: int | None = None
    date_after: date | None = None
    date_before: date | None = None


@dataclass(frozen=True)
class Target:
    kind: str
    model: type
    rows: Callable[[], QuerySet]  # what a hit's page reads (only what a hit shows)
    date_field: str | None
    relations: dict[str, Callable[[int], Q]]  # filter name -> condition on this kind's rows
    named: Callable[[list[int]], Q] | None = None  # rows about these people (names.py), found by their names

    def filtered(self, filters: SearchFilters) -> QuerySet | None:
        """This kind's rows under `filters`, or None if a filter does not apply to this kind."""
        queryset = self.model._default_manager.all()
        for name, condition in self.relations.items():
            if (value := getattr(filters, name)) is not None:
                queryset = queryset.filter(condition(value))
        unknown = {"expert", "visit", "outlet"} - set(self.relations)
        if any(getattr(filters, name) is not None for name in unknown):
            return None
        if filters.date_after or filters.date_before:
            if not self.date_field:
                return None
            if filters.date_after:
                queryset = queryset.filter(**{f"{self.date_field}__gte": filters.date_after})
            if filters.date_before:
                queryset = queryset.filter(**{f"{self.date_field}__lte": filters.date_before})
        return queryset


TARGETS = {
    target.kind: target
    for target in (
        Target(
            "article",
            Article,
            lambda: Article.objects.select_related("outlet").only(
                "slug", "title", "subtitle", "body", "language", "published_date", "published_date_precision",
                "outlet__slug", "outlet__name",
            ),
            "published_date",
            {
                "expert": lambda pk: Q(Exists(Quote.objects.filter(article=OuterRef("pk"), speaker=pk))),
                "visit": lambda pk: Q(Exists(ArticleVisit.objects.filter(article=OuterRef("pk"), visit=pk))),
                "outlet": lambda pk: Q(outlet=pk),
            },
        ),
        Target(
            "quote",
            Quote,
            lambda: Quote.objects.select_related("speaker", "article").only(
                "text", "speaker__slug", "speaker__name", "article__slug", "article__title",
                "article__published_date", "article__published_date_precision",
            ),
            "article__published_date",
            {
                "expert": lambda pk: Q(speaker=pk),
                "visit": lambda pk: Q(visit=pk),
                "outlet": lambda pk: Q(article__outlet=pk),
            },
            named=lambda pks: Q(speaker__in=pks) | Q(relayed_by__in=pks),
        ),
        Target(
            "expert",
            Expert,
            lambda: Expert.objects.only("slug", "name", "alternate_names", "role", "affiliation", "search_names"),
            None,
            {"visit": lambda pk: Q(Exists(VisitParticipant.objects.filter(person=OuterRef("pk"), visit=pk)))},
            named=lambda pks: Q(pk__in=pks),
        ),
        Target(
            "visit",
            Visit,
            lambda: Visit.objects.only("slug", "title", "summary", "start_date", "start_date_precision"),
            "start_date",
            {"expert": lambda pk: Q(Exists(VisitParticipant.objects.filter(visit=OuterRef("pk"), person=pk)))},
            named=lambda pks: Q(Exists(VisitParticipant.objects.filter(visit=OuterRef("pk"), person__in=pks))),
        ),
    )
}  # fmt: skip
KINDS = tuple(TARGETS)
TARGETS_BY_MODEL = {target.model: target for target in TARGETS.values()}
