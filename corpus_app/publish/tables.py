"""What the SQLite copy publishes: each corpus table under a reader's name, with its columns and links.

Columns are what the public API shows of a record (its id, curated fields, kept counts and
timestamps) less `version`, the API's bookkeeping for If-Match: a field added to a model's
`curated_fields` reaches the copy without an edit here. Relations keep the field's name (a quote's
`speaker` holds an expert's id, declared as a foreign key so Datasette shows the name beside it).
"""

from dataclasses import dataclass

from django.db import models
from django.utils.text import slugify

from corpus_app.models import Article, City, Expert, Outlet, Quote, Visit, VisitParticipant
from corpus_app.models.base import maintained_count_names

STAMPS = ("created_at", "updated_at")


def reader_name(words: str) -> str:
    """'visit participants' -> 'visit_participants': a table name a reader can type in SQL."""
    return slugify(str(words)).replace("-", "_")


@dataclass(frozen=True)
class PublishedTable:
    """One model's table in the copy, and how Datasette presents it."""

    model: type
    label_column: str | None = None  # what a foreign key to this table shows beside the id
    facets: tuple[str, ...] = ()
    sort_desc: str | None = None
    full_text: tuple[str, ...] = ()  # columns of its `<name>_fts` index
    extra: tuple[str, ...] = ()  # derived fields the API shows too (a quote's position in its article)

    @property
    def name(self) -> str:
        return reader_name(self.model._meta.verbose_name_plural)

    @property
    def noun(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def fields(self) -> list[models.Field]:
        """The published columns' fields, in reading order: id first, timestamps last."""
        meta = self.model._meta
        curated = [meta.get_field(name) for name in self.model.curated_fields]
        names = (
            "id",
            *(field.name for field in curated if not field.many_to_many),
            *maintained_count_names(self.model),
            *self.extra,
            *STAMPS,
        )
        return [meta.get_field(name) for name in names]

    @property
    def links(self) -> list["LinkTable"]:
        """A table per curated many-to-many relation: an article's visits, a visit's cities."""
        return [
            LinkTable(self, field)
            for field in (self.model._meta.get_field(name) for name in self.model.curated_fields)
            if field.many_to_many
        ]


@dataclass(frozen=True)
class LinkTable:
    """The pairs of a many-to-many relation: `article_visits` (article, visit)."""

    owner: PublishedTable
    field: models.ManyToManyField

    @property
    def name(self) -> str:
        return f"{reader_name(self.owner.model._meta.verbose_name)}_{self.field.name}"

    @property
    def noun(self) -> str:
        return f"{self.columns[0][0]}–{self.columns[1][0]} link"

    @property
    def through(self) -> type:
        return self.field.remote_field.through

    @property
    def columns(self) -> tuple[tuple[str, str, str], ...]:
        """(column, attribute of the through model, table referred to) for both ends."""
        owner, target = self.owner.model, self.field.related_model
        return (
            (reader_name(owner._meta.verbose_name), f"{self.field.m2m_field_name()}_id", self.owner.name),
            (
                reader_name(target._meta.verbose_name),
                f"{self.field.m2m_reverse_field_name()}_id",
                table_of(target).name,
            ),
        )


# In the order they are written: a table refers only to tables before it.
TABLES = (
    PublishedTable(Outlet, label_column="name", facets=("country",), sort_desc="article_count"),
    PublishedTable(City, label_column="name", facets=("country",), sort_desc="visit_count"),
    PublishedTable(
        Expert,
        label_column="name",
        facets=("kind", "country", "affiliation"),
        sort_desc="quote_count",
        full_text=("name", "alternate_names", "role", "affiliation"),
    ),
    PublishedTable(
        Visit,
        label_column="title",
        facets=("host_country", "kind", "status"),
        sort_desc="start_date",
        full_text=("title", "summary"),
    ),
    PublishedTable(VisitParticipant, facets=("role", "person", "visit")),
    PublishedTable(
        Article,
        label_column="title",
        facets=("outlet", "language", "section"),
        sort_desc="published_date",
        full_text=("title", "subtitle", "author", "body"),
    ),
    PublishedTable(
        Quote, label_column="text", facets=("speaker", "visit", "kind"), full_text=("text",), extra=("position",)
    ),
)


def table_of(model: type) -> PublishedTable:
    return next(table for table in TABLES if table.model is model)


def written_in_order() -> list[PublishedTable | LinkTable]:
    """Every table of the copy, each after the tables its foreign keys name."""
    ordered = []
    for table in TABLES:
        ordered.append(table)
        ordered.extend(table.links)
    return ordered
