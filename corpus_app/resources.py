"""Import and export of the corpus as CSV or JSON (django-import-export), keyed like the fixtures.

Rows name related records by slug, not id, so a file exported from one database imports into
another. Every row is validated by the model's own rules (full_clean: provenance of quotes, dates,
constraints) during the preview, before anything is written.
"""

from import_export import fields, resources, widgets

from corpus_app.models import Article, City, Expert, Outlet, Quote, Visit, VisitParticipant


def by_slug(model, *, many=False):
    if many:
        return widgets.ManyToManyWidget(model, field="slug", separator=";")
    return widgets.ForeignKeyWidget(model, field="slug")


class CorpusResource(resources.ModelResource):
    class Meta:
        abstract = True
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True


class OutletResource(CorpusResource):
    class Meta(CorpusResource.Meta):
        model = Outlet
        import_id_fields = ("slug",)
        fields = ("slug", "name", "homepage", "country", "notes")


class CityResource(CorpusResource):
    class Meta(CorpusResource.Meta):
        model = City
        import_id_fields = ("slug",)
        fields = ("slug", "name", "country")


class ExpertResource(CorpusResource):
    alternate_names = fields.Field(
        attribute="alternate_names", column_name="alternate_names", widget=widgets.JSONWidget()
    )

    class Meta(CorpusResource.Meta):
        model = Expert
        import_id_fields = ("slug",)
        fields = ("slug", "name", "alternate_names", "kind", "role", "affiliation", "country", "notes")


DATE_FIELDS = ("date", "date_precision", "date_inferred", "date_note")


class VisitResource(CorpusResource):
    cities = fields.Field(attribute="cities", column_name="cities", widget=by_slug(City, many=True))

    class Meta(CorpusResource.Meta):
        model = Visit
        import_id_fields = ("slug",)
        fields = (
            "slug", "title", "summary", "kind", "status", "host_country", "cities",
            *(f"start_{name}" for name in DATE_FIELDS), *(f"end_{name}" for name in DATE_FIELDS), "notes",
        )  # fmt: skip


class VisitParticipantResource(CorpusResource):
    visit = fields.Field(attribute="visit", column_name="visit", widget=by_slug(Visit))
    person = fields.Field(attribute="person", column_name="person", widget=by_slug(Expert))

    class Meta(CorpusResource.Meta):
        model = VisitParticipant
        import_id_fields = ("visit", "person", "role")
        fields = ("visit", "person", "role", "office", "inferred", "note")


class ArticleResource(CorpusResource):
    outlet = fields.Field(attribute="outlet", column_name="outlet", widget=by_slug(Outlet))
    visits = fields.Field(attribute="visits", column_name="visits", widget=by_slug(Visit, many=True))

    class Meta(CorpusResource.Meta):
        model = Article
        import_id_fields = ("slug",)
        fields = (
            "slug", "title", "subtitle", "outlet", "author", "credit",
            *(f"published_{name}" for name in DATE_FIELDS), "published_time", "url", "language", "section",
            "view_count", "body", "notes", "visits",
        )  # fmt: skip


class QuoteResource(CorpusResource):
    article = fields.Field(attribute="article", column_name="article", widget=by_slug(Article))
    speaker = fields.Field(attribute="speaker", column_name="speaker", widget=by_slug(Expert))
    visit = fields.Field(attribute="visit", column_name="visit", widget=by_slug(Visit))

    class Meta(CorpusResource.Meta):
        # A quote is its article and its words, as in the fixtures' natural key.
        model = Quote
        import_id_fields = ("article", "text")
        fields = ("article", "text", "speaker", "visit", "kind", "notes")
