"""Import and export of the corpus as CSV or JSON (django-import-export), keyed like the fixtures.

Columns are each model's `curated_fields`. Rows name related records by slug, not id, so a file
exported from one database imports into another. Every row is validated by the model's own rules
(full_clean: provenance of quotes, dates, constraints) during the preview, before anything is written.
"""

import re

from django.utils.safestring import mark_safe
from import_export import fields, resources, widgets

from corpus_app.models import Article, City, Expert, Outlet, Quote, Visit, VisitParticipant


class UnstyledDiff(resources.Diff):
    """The preview's diff with its <ins> and <del> unstyled: import.css colours them already, and the
    Content-Security-Policy refuses the inline style attributes diff-match-patch writes."""

    def as_html(self):
        # The text between the tags is escaped: only the tags diff-match-patch wrote can match.
        return [mark_safe(re.sub(r'<(ins|del) style="[^"]*">', r"<\1>", html)) for html in super().as_html()]


class CorpusResource(resources.ModelResource):
    class Meta:
        abstract = True
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        import_id_fields = ("slug",)

    def get_diff_class(self):
        return UnstyledDiff

    def after_import_row(self, row, row_result, **kwargs):
        """Number each row's result, so that a confirm can name the rows that changed since the preview."""
        super().after_import_row(row, row_result, **kwargs)
        row_result.row_number = kwargs["row_number"]

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        """Every relation as the related records' slugs (joined by ';' for many)."""
        if not django_field.is_relation:
            return super().field_from_django_field(field_name, django_field, readonly)
        related = django_field.related_model
        if django_field.many_to_many:
            widget = widgets.ManyToManyWidget(related, field="slug", separator=";")
        else:
            widget = widgets.ForeignKeyWidget(related, field="slug")
        return fields.Field(attribute=field_name, column_name=field_name, widget=widget, readonly=readonly)


def resource_for(model, **meta_options):
    """The import/export resource of a corpus model: its curated fields, keyed by slug unless told otherwise."""
    meta = type("Meta", (CorpusResource.Meta,), {"model": model, "fields": model.curated_fields, **meta_options})
    return type(f"{model.__name__}Resource", (CorpusResource,), {"Meta": meta, "__module__": __name__})


OutletResource = resource_for(Outlet)
CityResource = resource_for(City)
ExpertResource = resource_for(Expert)
VisitResource = resource_for(Visit)
VisitParticipantResource = resource_for(VisitParticipant, import_id_fields=("visit", "person", "role"))
ArticleResource = resource_for(Article)
# A quote is its article and its words, as in the fixtures' natural key.
QuoteResource = resource_for(Quote, import_id_fields=("article", "text"))
