"""Import and export of the corpus as CSV or JSON (django-import-export), keyed like the fixtures.

Rows name related records by slug, not id, so a file exported from one database imports into
another. Columns are each model's `curated_fields`. Every row is validated by the model's own rules
(full_clean: provenance of quotes, dates, constraints) during the preview, before anything is written.
"""

from import_export import fields, resources, widgets

from corpus_app.models import Article, City, Expert, Outlet, Quote, Visit, VisitParticipant


def by_slug(model, *, many=False):
    if many:
        return widgets.ManyToManyWidget(model, field="slug", separator=";")
    return widgets.ForeignKeyWidget(model, field="slug")


def slug_field(name: str, model, *, many=False) -> fields.Field:
    """A column naming the related record(s) by slug."""
    return fields.Field(attribute=name, column_name=name, widget=by_slug(model, many=many))


class CorpusResource(resources.ModelResource):
    class Meta:
        abstract = True
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        import_id_fields = ("slug",)


class OutletResource(CorpusResource):
    class Meta(CorpusResource.Meta):
        model = Outlet
        fields = Outlet.curated_fields


class CityResource(CorpusResource):
    class Meta(CorpusResource.Meta):
        model = City
        fields = City.curated_fields


class ExpertResource(CorpusResource):
    alternate_names = fields.Field(
        attribute="alternate_names", column_name="alternate_names", widget=widgets.JSONWidget()
    )

    class Meta(CorpusResource.Meta):
        model = Expert
        fields = Expert.curated_fields


class VisitResource(CorpusResource):
    cities = slug_field("cities", City, many=True)

    class Meta(CorpusResource.Meta):
        model = Visit
        fields = Visit.curated_fields


class VisitParticipantResource(CorpusResource):
    visit = slug_field("visit", Visit)
    person = slug_field("person", Expert)

    class Meta(CorpusResource.Meta):
        model = VisitParticipant
        import_id_fields = ("visit", "person", "role")
        fields = VisitParticipant.curated_fields


class ArticleResource(CorpusResource):
    outlet = slug_field("outlet", Outlet)
    visits = slug_field("visits", Visit, many=True)

    class Meta(CorpusResource.Meta):
        model = Article
        fields = Article.curated_fields


class QuoteResource(CorpusResource):
    article = slug_field("article", Article)
    speaker = slug_field("speaker", Expert)
    relayed_by = slug_field("relayed_by", Expert)
    visit = slug_field("visit", Visit)

    class Meta(CorpusResource.Meta):
        # A quote is its article and its words, as in the fixtures' natural key.
        model = Quote
        import_id_fields = ("article", "text")
        fields = Quote.curated_fields
