"""The text a search reads, folded (search/folding.py) and stored with each searchable record.

Two columns per record: `search_head` (what the record is called: a title, a name, a quote's words),
ranked highest, and `search_rest` (the body, a summary, a role). They are derived on every save, in
fixtures and bulk import too, like any derived field; never edited, never in fixtures or history.
PostgreSQL builds its stored search vector from them and SQLite its full-text index
(search/schema.py), so whatever writes a record keeps its search current.
"""

from django.db import models

from corpus_app.search.folding import fold


class SearchText(models.TextField):
    """A folded copy of a record's text, for search only."""

    def __init__(self, *args, **kwargs):
        kwargs.update(default="", db_default="", blank=True, editable=False, serialize=False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        for fixed in ("default", "db_default", "blank", "editable", "serialize"):
            kwargs.pop(fixed, None)
        return name, "corpus_app.models.search_text.SearchText", args, kwargs


SEARCH_TEXT_FIELDS = ["search_head", "search_rest"]


def search_text_of(*relations: str) -> list[str]:
    """The search columns of records a queryset joins (`select_related`), for its defer(): an article's
    folded body is kilobytes that nothing but search reads."""
    return [f"{relation}__{name}" for relation in relations for name in SEARCH_TEXT_FIELDS]


def searchable_manager(queryset_class):
    """The default manager of a searchable model: its querysets leave the search columns unread.

    Every read for display (lists, records, the admin, prefetches) would otherwise carry a second copy
    of each text. A save still writes them: derive_fields sets them before the row is written.
    """

    class SearchableManager(models.Manager.from_queryset(queryset_class)):
        def get_queryset(self):
            return super().get_queryset().defer(*SEARCH_TEXT_FIELDS)

    return SearchableManager()


class Searchable(models.Model):
    """A record found by search. Subclasses say what its head and the rest of its text are."""

    search_head = SearchText()
    search_rest = SearchText()

    class Meta:
        abstract = True

    def search_sources(self) -> tuple[str, str]:
        """The record's own text: (what it is called, everything else worth finding it by)."""
        raise NotImplementedError

    def derive_search_text(self) -> None:
        head, rest = self.search_sources()
        self.search_head, self.search_rest = fold(head), fold(rest)
