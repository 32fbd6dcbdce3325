"""Admin registrations: declarative; listing querysets come from each model's QuerySet."""

from django.contrib import admin

from corpus_app.models import Article, City, Expert, Outlet, Quote, Visit, VisitParticipant

TIMESTAMPS = ("created_at", "updated_at")


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ("name", "country", "homepage")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = TIMESTAMPS


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ("name", "country")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = TIMESTAMPS


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "role", "affiliation", "country", "quote_count", "article_count")
    list_filter = ("kind", "country")
    search_fields = ("name", "alternate_names", "role", "affiliation")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = TIMESTAMPS

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    @admin.display(ordering="quote_count")
    def quote_count(self, expert):
        return expert.quote_count

    @admin.display(ordering="article_count")
    def article_count(self, expert):
        return expert.article_count


class VisitParticipantInline(admin.TabularInline):
    model = VisitParticipant
    autocomplete_fields = ("person",)
    extra = 0


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ("title", "dates_display", "host_country", "kind", "status", "article_count", "quote_count")
    list_filter = ("status", "kind", "host_country", "start_date_precision")
    search_fields = ("title", "summary", "participants__name", "participants__alternate_names")
    date_hierarchy = "start_date"
    autocomplete_fields = ("cities",)
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = TIMESTAMPS
    inlines = (VisitParticipantInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).for_listing()

    @admin.display(ordering="article_count")
    def article_count(self, visit):
        return visit.article_count

    @admin.display(ordering="quote_count")
    def quote_count(self, visit):
        return visit.quote_count


class QuoteInline(admin.StackedInline):
    model = Quote
    autocomplete_fields = ("speaker", "visit")
    fields = ("text", "speaker", "visit", "kind", "notes", "position")
    readonly_fields = ("position",)
    extra = 0


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "outlet", "published_display", "language", "quote_count")
    list_filter = ("outlet", "language", "published_date_precision")
    search_fields = ("title", "subtitle", "body", "author")
    date_hierarchy = "published_date"
    autocomplete_fields = ("outlet", "visits")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = TIMESTAMPS
    inlines = (QuoteInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).for_listing()

    @admin.display(ordering="quote_count")
    def quote_count(self, article):
        return article.quote_count


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = ("__str__", "speaker", "article", "visit", "kind")
    list_filter = ("kind",)
    search_fields = ("text", "speaker__name", "speaker__alternate_names")
    autocomplete_fields = ("speaker", "article", "visit")
    readonly_fields = ("position", *TIMESTAMPS)
    list_select_related = ("speaker", "article__outlet", "visit")
