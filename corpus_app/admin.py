"""Admin registrations: declarative; listing querysets come from each model's QuerySet."""

from django.contrib import admin
from django.db import models

from corpus_app.models import Article, City, Expert, Outlet, Quote, Visit, VisitParticipant

TIMESTAMPS = ("created_at", "updated_at")


def annotated_count(name: str, description: str):
    """A sortable changelist column for a count the model's listing queryset annotates."""

    @admin.display(description=description, ordering=name)
    def column(self, obj):
        return getattr(obj, name)

    return column


class CorpusModelAdmin(admin.ModelAdmin):
    readonly_fields = TIMESTAMPS
    # Links typed without a scheme are taken as https, as Django 6 will do.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Outlet)
class OutletAdmin(CorpusModelAdmin):
    list_display = ("name", "country", "homepage")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(City)
class CityAdmin(CorpusModelAdmin):
    list_display = ("name", "country")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Expert)
class ExpertAdmin(CorpusModelAdmin):
    list_display = ("name", "kind", "role", "affiliation", "country", "quote_count", "article_count")
    list_filter = ("kind", "country")
    search_fields = ("search_names", "role", "affiliation")
    prepopulated_fields = {"slug": ("name",)}

    quote_count = annotated_count("quote_count", "quotes")
    article_count = annotated_count("article_count", "articles")

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()


class VisitParticipantInline(admin.TabularInline):
    model = VisitParticipant
    autocomplete_fields = ("person",)
    extra = 0


@admin.register(Visit)
class VisitAdmin(CorpusModelAdmin):
    list_display = ("title", "dates_display", "host_country", "kind", "status", "article_count", "quote_count")
    list_filter = ("status", "kind", "host_country", "start_date_precision")
    search_fields = ("title", "summary", "participants__search_names")
    date_hierarchy = "start_date"
    autocomplete_fields = ("cities",)
    prepopulated_fields = {"slug": ("title",)}
    inlines = (VisitParticipantInline,)
    article_count = annotated_count("article_count", "articles")
    quote_count = annotated_count("quote_count", "quotes")

    def get_queryset(self, request):
        return super().get_queryset(request).for_listing()


class QuoteInline(admin.StackedInline):
    model = Quote
    autocomplete_fields = ("speaker", "visit")
    fields = ("text", "speaker", "visit", "kind", "notes", "position")
    readonly_fields = ("position",)
    extra = 0


@admin.register(Article)
class ArticleAdmin(CorpusModelAdmin):
    list_display = ("__str__", "outlet", "published_display", "language", "quote_count")
    list_filter = ("outlet", "language", "published_date_precision")
    search_fields = ("title", "subtitle", "body", "author")
    date_hierarchy = "published_date"
    autocomplete_fields = ("outlet", "visits")
    prepopulated_fields = {"slug": ("title",)}
    inlines = (QuoteInline,)
    quote_count = annotated_count("quote_count", "quotes")

    def get_queryset(self, request):
        return super().get_queryset(request).for_listing()


@admin.register(Quote)
class QuoteAdmin(CorpusModelAdmin):
    list_display = ("__str__", "speaker", "article", "visit", "kind")
    list_filter = ("kind",)
    search_fields = ("text", "speaker__search_names")
    autocomplete_fields = ("speaker", "article", "visit")
    readonly_fields = ("position", *TIMESTAMPS)
    list_select_related = ("speaker", "article__outlet", "visit")
