"""Admin registrations: declarative; listing querysets come from each model's QuerySet.

Every model admin has history with revert (django-simple-history), import and export with a
preview (django-import-export) and the stale-edit guard (VersionedModelForm).
"""

from functools import partial

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminTextareaWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

from corpus_app import resources
from corpus_app.admin.columns import truncated_column
from corpus_app.admin.filters import countries_in_use_filter
from corpus_app.admin.forms import ArticleForm, ExpertForm, VersionedModelForm
from corpus_app.admin.history import CuratedChangesHelper
from corpus_app.admin.imports import CorpusImportExportAdmin
from corpus_app.admin.ingest import ingest_view
from corpus_app.admin.paginator import EstimatedCountPaginator
from corpus_app.admin.timeline import expert_quotes_chart, visit_timeline_view
from corpus_app.api.filters import BIGGEST_ID
from corpus_app.api.query_bounds import search_bounds_error
from corpus_app.models import (
    Article,
    City,
    Expert,
    Outlet,
    Quote,
    SearchSynonym,
    StaleVersionError,
    Visit,
    VisitParticipant,
)
from corpus_app.models.links import listings_of
from corpus_app.models.search_text import Searchable, search_text_of
from corpus_app.search import engine
from corpus_app.search.query import PREFIX_MIN_LENGTH, QueryError
from corpus_app.services.history import deleted_records

TIMESTAMPS = ("created_at", "updated_at")

admin.site.site_header = "corpus: press coverage of diplomatic visits"
admin.site.site_title = "corpus admin"
admin.site.index_title = "Curation"


def annotated_count(name: str, description: str):
    """A sortable changelist column for a count the model's listing queryset annotates."""

    @admin.display(description=description, ordering=name)
    def column(self, obj):
        return getattr(obj, name)

    return column


class CorpusModelAdmin(CorpusImportExportAdmin, SimpleHistoryAdmin):
    form = VersionedModelForm
    change_list_template = "admin/corpus_app/change_list.html"
    readonly_fields = TIMESTAMPS
    # Links typed without a scheme are taken as https, as Django 6 will do.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # At archive scale: no second COUNT(*) of the unfiltered table, and an estimate for the first.
    show_full_result_count = False
    paginator = EstimatedCountPaginator

    def get_queryset(self, request):
        return super().get_queryset(request).for_listing()

    def get_ordering(self, request):
        """The API's default ordering (the model's default_sort, id last in the same direction): an index serves it."""
        if self.ordering:
            return self.ordering
        descending = self.model.default_sort.startswith("-")
        keys = self.model.sort_keys[self.model.default_sort.removeprefix("-")]
        ordering = [key.expression.desc() if descending else key.expression.asc() for key in keys]
        return [*ordering, "-pk" if descending else "pk"]

    def get_search_results(self, request, queryset, search_term):
        # The API's bounds on a search: thousands of words would hold the database for minutes.
        error = search_bounds_error(search_term)
        if error:
            self.message_user(request, error, messages.WARNING)
            return queryset.none(), False
        if not issubclass(self.model, Searchable) or not search_term.strip():
            return super().get_search_results(request, queryset, search_term)
        autocomplete = request.resolver_match and request.resolver_match.url_name == "autocomplete"
        if autocomplete:
            # A picker searches as the curator types: the last word is a prefix ("Shoi" finds Shoigu).
            # Under PREFIX_MIN_LENGTH letters it is every word in the corpus: the fields' LIKE instead.
            last = search_term.split()[-1]
            if len(last) < PREFIX_MIN_LENGTH or '"' in search_term:
                return super().get_search_results(request, queryset, search_term)
            search_term = f"{search_term}*"
        try:
            query = engine.parse_search(search_term)
        except QueryError as problem:
            if autocomplete:  # a short prefix: the fields' LIKE, as for short input
                return super().get_search_results(request, queryset, search_term.removesuffix("*"))
            self.message_user(request, str(problem), messages.WARNING)
            return queryset.none(), False
        query.head_only = bool(autocomplete)  # a picker finds records by title or name, not by body
        return engine.matching(queryset, query), False

    def get_deleted_objects(self, objs, request):
        """Django's, with the records that list these among their links as protected: the delete page (and
        the list's "delete selected") names them and deletes nothing, as for a foreign key's PROTECT
        (models/links.py says why)."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        listings = listings_of(self.model, [obj.pk for obj in objs])
        if listings:
            names = {obj.pk: str(obj) for obj in objs}
            protected = [*protected, *(self._listing_line(listing, names[listing.listed_pk]) for listing in listings)]
        return deleted, counts, perms_needed, protected

    def _listing_line(self, listing, listed_name: str):
        holder, opts = listing.holder, listing.holder._meta
        url = reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[holder.pk])
        return format_html(
            '{}: <a href="{}">{}</a>, which lists {} among its {}: remove it there first',
            capfirst(opts.verbose_name),
            url,
            holder,
            listed_name,
            listing.field.verbose_name,
        )

    def revert_disabled(self, request, obj=None):
        """Whether this user may not save a past version: simple-history's rule (view without change), and
        restoring a deleted record, which adds it back, takes the add permission."""
        if super().revert_disabled(request, obj):
            return True
        if obj is not None and not self.model._base_manager.filter(pk=obj.pk).exists():
            return not self.has_add_permission(request)
        return not self.has_change_permission(request, obj)

    def record_id_or_404(self, object_id) -> int:
        """The id an admin URL names, or a 404: `abc`, or a number past any bigint (which SQLite cannot even
        compare), named no record, and simple-history's views and the charts answered them with a 500."""
        try:
            record_id = int(self.opts.pk.to_python(unquote(str(object_id))))
        except (ValueError, TypeError, ValidationError):
            raise Http404 from None
        if not 1 <= record_id <= BIGGEST_ID:
            raise Http404
        return record_id

    def history_view(self, request, object_id, extra_context=None):
        self.record_id_or_404(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """simple-history's, refusing a POST from whoever may not revert: its own view saves any POST from a
        user who may view the history (a Reader), and revert_disabled only hides the button."""
        record_id = self.record_id_or_404(object_id)
        try:
            version = self.model.history.filter(**{self.opts.pk.attname: record_id, "history_id": version_id}).first()
        except (ValueError, ValidationError, OverflowError):  # a version id no row can have
            raise Http404 from None
        if version is None:
            raise Http404
        if request.method == "POST" and self.revert_disabled(request, version.instance):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        return CuratedChangesHelper(self.model, historical_record)

    def changeform_view(self, request, object_id=None, *args, **kwargs):
        if object_id is not None:
            self.record_id_or_404(object_id)
        # The form refuses a stale edit; this covers the rare save that loses the race after the form check.
        try:
            return super().changeform_view(request, object_id, *args, **kwargs)
        except StaleVersionError as error:
            self.message_user(request, f"{error} Reload the page and make your change again.", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_deleted"
        return [path("deleted/", self.admin_site.admin_view(self.deleted_view), name=name), *super().get_urls()]

    def deleted_view(self, request):
        """Deleted records of this model, each linking to its history, where it can be restored."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": f"Deleted {self.opts.verbose_name_plural}",
            "opts": self.opts,
            "records": deleted_records(self.model),
        }
        return TemplateResponse(request, "admin/corpus_app/deleted.html", context)


@admin.register(Outlet)
class OutletAdmin(CorpusModelAdmin):
    resource_classes = [resources.OutletResource]
    list_display = ("name", "country", "homepage", "article_count")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    article_count = annotated_count("article_count", "articles")


@admin.register(City)
class CityAdmin(CorpusModelAdmin):
    resource_classes = [resources.CityResource]
    list_display = ("name", "country", "visit_count")
    list_filter = (countries_in_use_filter("country", "country"),)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    visit_count = annotated_count("visit_count", "visits")


class QuoteOfExpertInline(admin.TabularInline):
    """An expert's quotes, to read beside the expert; they are edited on their article."""

    model = Quote
    fk_name = "speaker"
    fields = ("text", "article", "visit", "kind")
    readonly_fields = fields
    show_change_link = True
    extra = 0
    can_delete = False
    verbose_name_plural = "quotes (edit them on their article)"

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("article", "visit").defer(*search_text_of("article", "visit"))
        )

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Expert)
class ExpertAdmin(CorpusModelAdmin):
    form = ExpertForm
    resource_classes = [resources.ExpertResource]
    list_display = ("name", "kind", "role", "affiliation", "country", "quote_count", "article_count")
    list_filter = ("kind", countries_in_use_filter("country", "country"))
    search_fields = ("search_names", "role", "affiliation")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (QuoteOfExpertInline,)
    quote_count = annotated_count("quote_count", "quotes")
    article_count = annotated_count("article_count", "articles")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """With the expert's quotes per month below the form (the counts /api/stats/timeline/ gives)."""
        extra_context = {**(extra_context or {}), "quotes_chart": expert_quotes_chart(self.record_id_or_404(object_id))}
        return super().change_view(request, object_id, form_url, extra_context)


class VisitParticipantInline(admin.TabularInline):
    model = VisitParticipant
    form = VersionedModelForm
    autocomplete_fields = ("person",)
    fields = ("person", "role", "office", "inferred", "note", "version")
    extra = 0
    # A row of the table, not a page: the note's box is two lines high (it grows as it is dragged) and
    # as wide as its column (admin.css), so the table fits the page.
    formfield_overrides = {models.TextField: {"widget": AdminTextareaWidget(attrs={"rows": 2})}}


@admin.register(Visit)
class VisitAdmin(CorpusModelAdmin):
    resource_classes = [resources.VisitResource]
    list_display = ("title", "dates_display", "host_country", "kind", "status", "article_count", "quote_count")
    list_filter = ("status", "kind", countries_in_use_filter("host_country", "host country"), "start_date_precision")
    search_fields = ("title", "summary", "participants__search_names")
    # Visits number in the thousands, not millions: the DISTINCT over their dates is cheap.
    date_hierarchy = "start_date"
    autocomplete_fields = ("cities",)
    prepopulated_fields = {"slug": ("title",)}
    inlines = (VisitParticipantInline,)
    change_list_template = "admin/corpus_app/visit/change_list.html"
    article_count = annotated_count("article_count", "articles")
    quote_count = annotated_count("quote_count", "quotes")

    def get_urls(self):
        timeline = path("timeline/", self.admin_site.admin_view(self.timeline_view), name="corpus_app_visit_timeline")
        return [timeline, *super().get_urls()]

    def timeline_view(self, request):
        """The timeline shows every visit: only for those who may see the visits list."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return visit_timeline_view(request)


class QuoteInline(admin.StackedInline):
    """An article's quotes, in reading order, edited where they can be checked against the text."""

    model = Quote
    form = VersionedModelForm
    autocomplete_fields = ("speaker", "relayed_by", "visit")
    fields = ("text", "speaker", "relayed_by", "visit", "kind", "notes", "position", "version")
    readonly_fields = ("position",)
    extra = 0
    # Most quotes are a sentence or two: three lines for the text and for the notes, not Django's ten, make an
    # article's dozen quotes a few screens rather than ten. A longer text is whole in its box, which scrolls
    # and can be dragged taller.
    formfield_overrides = {models.TextField: {"widget": AdminTextareaWidget(attrs={"rows": 3})}}

    def get_queryset(self, request):
        joined = ("speaker", "relayed_by", "visit")
        return (
            super()
            .get_queryset(request)
            .select_related(*joined)
            .defer(*search_text_of(*joined))
            .order_by("position", "id")
        )


@admin.register(Article)
class ArticleAdmin(CorpusModelAdmin):
    form = ArticleForm
    resource_classes = [resources.ArticleResource]
    list_display = ("__str__", "outlet", "published_display", "language", "quote_count")
    list_filter = ("outlet", "language", "published_date_precision")
    search_fields = ("title", "subtitle", "body", "author")
    # No date_hierarchy: its year links come from a DISTINCT over every article's date, on each load.
    autocomplete_fields = ("outlet", "visits")
    prepopulated_fields = {"slug": ("title",)}
    inlines = (QuoteInline,)
    quote_count = annotated_count("quote_count", "quotes")
    change_list_template = "admin/corpus_app/article/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view(partial(ingest_view, self))
        return [path("ingest/", view, name="corpus_app_article_ingest"), *super().get_urls()]

    def get_search_fields(self, request):
        # Picking an article (a quote's) searches on every keystroke: its title and slug, not a scan
        # of a million bodies. The list's own search still reads the text.
        if request.resolver_match and request.resolver_match.url_name == "autocomplete":
            return ("title", "slug")
        return super().get_search_fields(request)


class SpeakerKindFilter(admin.ChoicesFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "speaker's kind"


@admin.register(Quote)
class QuoteAdmin(CorpusModelAdmin):
    resource_classes = [resources.QuoteResource]
    # The quote's words take the width; the records beside them are named in a few words each.
    list_display = ("excerpt", "speaker", "article_title", "visit_title", "kind")
    list_filter = ("kind", ("speaker__kind", SpeakerKindFilter))
    search_fields = ("text", "speaker__search_names", "relayed_by__search_names")
    autocomplete_fields = ("speaker", "relayed_by", "article", "visit")
    readonly_fields = ("position", *TIMESTAMPS)
    excerpt = truncated_column("text", "excerpt", 160)
    article_title = truncated_column("article", "article", 60, ordering="article")
    visit_title = truncated_column("visit", "visit", 50, ordering="visit")


@admin.register(VisitParticipant)
class VisitParticipantAdmin(CorpusModelAdmin):
    resource_classes = [resources.VisitParticipantResource]
    list_display = ("person", "role", "office_column", "visit_title")
    list_filter = ("role",)
    search_fields = ("person__search_names", "visit__title", "office")
    autocomplete_fields = ("visit", "person")
    office_column = truncated_column("office", "office", 80, ordering="office")
    visit_title = truncated_column("visit", "visit", 60, ordering="visit")


@admin.register(SearchSynonym)
class SearchSynonymAdmin(CorpusModelAdmin):
    """Spellings search treats as one (search/folding.py says which it already joins by rule)."""

    list_display = ("__str__", "note")
    ordering = ("spellings",)
    search_fields = ("spellings", "note")
    readonly_fields = ("folded", *TIMESTAMPS)

    # Search configuration, a few dozen rows: edited here, where each group is checked against the
    # others (SearchSynonym.clean), not imported in bulk. Export stays, as everywhere.
    def has_import_permission(self, request):
        return False
