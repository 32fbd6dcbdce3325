"""Representation of the corpus over HTTP.

Reads embed what a reader needs without a second request (names, titles, dates); writes take ids.
Where the two shapes differ there are two serializers, and the write one validates with the model's
own rules (full_clean), which DRF does not call by itself. A read serializer names the relations
`?expand=` may embed in full (`expandable`, shapes.py).
"""

import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from django_countries.serializer_fields import CountryField
from django_countries.serializers import CountryFieldMixin
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from corpus_app import provenance
from corpus_app.api import compiled
from corpus_app.api.exceptions import validation_error_from_django
from corpus_app.api.fields import IdField, StrictCountryField
from corpus_app.api.shapes import ShapedSerializer
from corpus_app.models import Article, City, Expert, Outlet, Quote, Visit, VisitParticipant, limits
from corpus_app.models.visit import ARTICLES_EMBEDDED

# Read-only everywhere: a version moves only by saving (If-Match names the one a change is based on).
TIMESTAMPS = ("version", "created_at", "updated_at")


@extend_schema_field(
    {"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$", "example": "17:59:00"}
)
class LocalTimeField(serializers.TimeField):
    """A wall-clock time as printed on the page, with no time zone (OpenAPI's "time" demands one)."""


class CorpusModelSerializer(CountryFieldMixin, ShapedSerializer, serializers.ModelSerializer):
    """A ModelSerializer whose relations take integer ids only and whose countries take codes only (fields.py)."""

    serializer_related_field = IdField

    def to_representation(self, instance):
        return compiled.representation(self, instance)  # DRF's output, without its per-field work

    def build_standard_field(self, field_name, model_field):
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        if field_class is CountryField:
            field_class = StrictCountryField
        return field_class, field_kwargs


class ReadFormMixin:
    """Answer a write with the read form (`read_serializer_class`), so a client sees what it would GET.

    Only once the write is done (the view sets `answer_in_read_form` in the context): before that,
    the browsable API fills its edit form from this serializer, which must show the write shape.
    """

    read_serializer_class = None

    def to_representation(self, instance):
        if self.context.get("answer_in_read_form"):
            return self.read_serializer_class(instance, context=self.context).data
        return super().to_representation(instance)


class ModelRulesMixin:
    """Run the model's clean() and database constraints before saving, and report them per field."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        many_to_many = {field.name for field in model._meta.many_to_many}
        candidate = copy.copy(self.instance) if self.instance is not None else model()
        for name, value in attrs.items():
            if name not in many_to_many:
                setattr(candidate, name, value)
        candidate.derive_fields()
        try:
            candidate.full_clean()
        except DjangoValidationError as error:
            raise validation_error_from_django(error) from error
        return attrs


# ------------------------------------------------------------------ brief forms, embedded in others
class OutletBriefSerializer(CorpusModelSerializer):
    class Meta:
        model = Outlet
        fields = ("id", "slug", "name")


class CityBriefSerializer(CorpusModelSerializer):
    class Meta:
        model = City
        fields = ("id", "slug", "name")


class ExpertBriefSerializer(CorpusModelSerializer):
    class Meta:
        model = Expert
        fields = ("id", "slug", "name")


class ArticleBriefSerializer(CorpusModelSerializer):
    class Meta:
        model = Article
        fields = ("id", "slug", "title", "published_date", "published_date_precision")


class VisitBriefSerializer(CorpusModelSerializer):
    class Meta:
        model = Visit
        fields = ("id", "slug", "title", "start_date", "start_date_precision", "end_date", "end_date_precision")


# ------------------------------------------------------------------ outlets and cities
class OutletSerializer(ModelRulesMixin, CorpusModelSerializer):
    article_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Outlet
        read_only_fields = TIMESTAMPS
        fields = ("id", *Outlet.curated_fields, "article_count", *TIMESTAMPS)


class CitySerializer(ModelRulesMixin, CorpusModelSerializer):
    visit_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = City
        read_only_fields = TIMESTAMPS
        fields = ("id", *City.curated_fields, "visit_count", *TIMESTAMPS)


# ------------------------------------------------------------------ experts
class ExpertSerializer(ModelRulesMixin, CorpusModelSerializer):
    alternate_names = serializers.ListField(
        child=serializers.CharField(max_length=limits.SPELLING),
        max_length=limits.ALTERNATE_NAMES,
        required=False,
        help_text="Other spellings met in the press.",
    )
    quote_count = serializers.IntegerField(read_only=True)
    article_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Expert
        read_only_fields = TIMESTAMPS
        fields = ("id", *Expert.curated_fields, "quote_count", "article_count", *TIMESTAMPS)


# ------------------------------------------------------------------ visits
class ParticipationSerializer(CorpusModelSerializer):
    person = ExpertBriefSerializer(read_only=True)

    class Meta:
        model = VisitParticipant
        fields = ("id", "person", "role", "office", "inferred", "note")


class VisitSerializer(CorpusModelSerializer):
    # Not `articles`: a visit embeds only its latest few, and /api/visits/{id}/articles/ lists them in full.
    expandable = {"cities": CitySerializer}
    cities = CityBriefSerializer(many=True, read_only=True)
    participants = ParticipationSerializer(source="participations", many=True, read_only=True)
    articles = ArticleBriefSerializer(
        source="latest_articles",
        many=True,
        read_only=True,
        help_text=f"The visit's latest {ARTICLES_EMBEDDED} articles, newest first; article_count says how many "
        "there are, and /api/visits/{id}/articles/ pages through them all.",
    )
    dates_display = serializers.CharField(read_only=True)
    article_count = serializers.IntegerField(read_only=True)
    quote_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Visit
        fields = (
            "id", *Visit.curated_fields, "participants", "dates_display", "articles", "article_count", "quote_count",
            *TIMESTAMPS,
        )  # fmt: skip


class VisitWriteSerializer(ReadFormMixin, ModelRulesMixin, CorpusModelSerializer):
    read_serializer_class = VisitSerializer

    class Meta:
        model = Visit
        fields = Visit.curated_fields


class VisitParticipantSerializer(CorpusModelSerializer):
    expandable = {"visit": VisitSerializer, "person": ExpertSerializer}
    visit = VisitBriefSerializer(read_only=True)
    person = ExpertBriefSerializer(read_only=True)

    class Meta:
        model = VisitParticipant
        fields = ("id", *VisitParticipant.curated_fields, *TIMESTAMPS)


class VisitParticipantWriteSerializer(ReadFormMixin, ModelRulesMixin, CorpusModelSerializer):
    read_serializer_class = VisitParticipantSerializer

    class Meta:
        model = VisitParticipant
        fields = VisitParticipant.curated_fields


# ------------------------------------------------------------------ articles
class ArticleSerializer(CorpusModelSerializer):
    expandable = {"outlet": OutletSerializer, "visits": VisitSerializer}
    outlet = OutletBriefSerializer(read_only=True, allow_null=True)
    published_time = LocalTimeField(read_only=True, allow_null=True)
    visits = VisitBriefSerializer(many=True, read_only=True)
    published_display = serializers.CharField(read_only=True)
    quote_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Article
        fields = ("id", *Article.curated_fields, "published_display", "quote_count", *TIMESTAMPS)


class ArticleWriteSerializer(ReadFormMixin, ModelRulesMixin, CorpusModelSerializer):
    read_serializer_class = ArticleSerializer
    published_time = LocalTimeField(
        required=False, allow_null=True, help_text="Local time as printed on the page; only with a day-precise date."
    )

    class Meta:
        model = Article
        fields = Article.curated_fields

    def validate_visits(self, visits):
        if self.instance is not None:
            provenance.article_visits_check(self.instance, [visit.pk for visit in visits])  # DRF reports it on visits
        return visits


# ------------------------------------------------------------------ quotes
class QuoteSerializer(CorpusModelSerializer):
    expandable = {
        "speaker": ExpertSerializer,
        "relayed_by": ExpertSerializer,
        "article": ArticleSerializer,
        "visit": VisitSerializer,
    }
    speaker = ExpertBriefSerializer(read_only=True)
    relayed_by = ExpertBriefSerializer(read_only=True, allow_null=True)
    article = ArticleBriefSerializer(read_only=True)
    visit = VisitBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Quote
        fields = ("id", *Quote.curated_fields, "position", *TIMESTAMPS)


class QuoteWriteSerializer(ReadFormMixin, ModelRulesMixin, CorpusModelSerializer):
    read_serializer_class = QuoteSerializer

    class Meta:
        model = Quote
        fields = Quote.curated_fields
        extra_kwargs = {
            "visit": {"help_text": "Omit on a new quote to use the article's visit when it covers exactly one."}
        }
