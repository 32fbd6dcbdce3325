"""POST /api/ingest/ (a page in, a draft and suggestions out, nothing saved), and its accept/ and reject/.

The pipeline (corpus_app/ingest/) reads; ingest/review.py saves what a curator accepts. These views
only translate: JSON to the review's terms, its refusals to 400s with field messages, a race to 409.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from corpus_app import provenance
from corpus_app.api.exceptions import Conflict
from corpus_app.api.fields import IdField
from corpus_app.api.serializers import ArticleSerializer, ExpertBriefSerializer, QuoteSerializer
from corpus_app.api.throttles import CorpusScopedRateThrottle
from corpus_app.api.transaction_bounds import bound_request_transaction
from corpus_app.ingest import pipeline, review
from corpus_app.ingest.directory import Directory
from corpus_app.models import Article, DatePrecision, Expert, ExpertKind, Outlet, Quote, QuoteKind, Visit, limits

# A saved page carries its scripts and styles: several times its text. Bounded here (characters) and
# by the request size limit (settings.REQUEST_BODY_LIMITS, bytes).
PAGE_MAX_CHARS = 6_000_000
QUOTES_PER_ACCEPT = 500


class CanIngest(permissions.BasePermission):
    """Ingesting drafts articles and quotes: it needs the permissions to add both, as accepting them does."""

    message = "Ingesting needs the permissions to add articles and quotes (corpus_app.add_article, add_quote)."

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.has_perms(review.INGEST_PERMISSIONS))


class IngestView(APIView):
    permission_classes = [CanIngest]
    throttle_classes = [*api_settings.DEFAULT_THROTTLE_CLASSES, CorpusScopedRateThrottle]
    throttle_scope = "ingest"

    def initial(self, request, *args, **kwargs):
        bound_request_transaction()
        super().initial(request, *args, **kwargs)


# ------------------------------------------------------------------ POST /api/ingest/
class PageSerializer(serializers.Serializer):
    html = serializers.CharField(
        required=False, max_length=PAGE_MAX_CHARS, trim_whitespace=False, help_text="A saved web page."
    )
    text = serializers.CharField(
        required=False,
        max_length=PAGE_MAX_CHARS,
        trim_whitespace=False,
        help_text="The page's text as copied from a browser, chrome and all.",
    )
    url = serializers.URLField(required=False, allow_blank=True, max_length=1000, help_text="The page's address.")

    def validate(self, attrs):
        given = [name for name in ("html", "text") if attrs.get(name, "").strip()]
        if len(given) != 1:
            message = "Send the page as either `html` or `text`." if given else "Send the page as `html` or `text`."
            raise serializers.ValidationError({name: [message] for name in ("html", "text")})
        return attrs


def draft_representation(screened: review.Screened) -> dict:
    draft = screened.draft
    existing = screened.existing_article
    return {
        "article": {
            **draft.meta.as_dict(),
            "outlet": {"id": draft.outlet.pk, "slug": draft.outlet.key, "name": draft.outlet.name}
            if draft.outlet
            else None,
            "proposed_outlet": draft.proposed_outlet,
            "body": draft.body,
            "body_digest": draft.body_digest,
            "removed": draft.removed,
            "existing_article": {"id": existing.pk, "slug": existing.slug, "title": existing.title}
            if existing
            else None,
        },
        "suggestions": [suggestion.as_dict() for suggestion in draft.suggestions],
        "held_back": {"rejected": screened.skipped_rejected, "curated": screened.skipped_curated},
    }


class IngestPageView(IngestView):
    @extend_schema(
        request=PageSerializer,
        responses={
            200: inline_serializer(
                "IngestDraft",
                {
                    "article": serializers.DictField(),
                    "suggestions": serializers.ListField(),
                    "held_back": serializers.DictField(),
                },
            )
        },
        summary="Draft an article and its quotes from a page; saves nothing",
        description="The extracted article (metadata for the curator to correct, its body without page chrome) "
        "and a suggestion for each direct quotation: its text, speaker (an existing expert, or a new one with "
        "the role and affiliation the article gives), confidence, the sentence around it and the visit the "
        "article covers. Suggestions a curator rejected for this page, and quotes its article already has, are "
        "held back and counted.",
        examples=[OpenApiExample("Plain text", value={"text": "Lavrov arrives ...", "url": "https://example.com/a"})],
    )
    def post(self, request):
        page = PageSerializer(data=request.data)
        page.is_valid(raise_exception=True)
        data = page.validated_data
        given = "html" if data.get("html", "").strip() else "text"
        draft = pipeline.from_content(
            data[given], url=data.get("url", ""), directory=Directory.from_database(), html=given == "html"
        )
        if draft.problem:
            raise serializers.ValidationError({given: [draft.problem]})
        return Response(draft_representation(review.screen(draft)))


# ------------------------------------------------------------------ POST /api/ingest/accept/
class NewExpertSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    role = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    affiliation = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(ExpertKind.choices, required=False, default=ExpertKind.OTHER)
    country = serializers.CharField(max_length=2, required=False, allow_blank=True, default="")

    def to_internal_value(self, data):
        return review.ProposedExpert(**super().to_internal_value(data))


class NewOutletSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    homepage = serializers.URLField(required=False, allow_blank=True, default="")

    def to_internal_value(self, data):
        return review.ProposedOutlet(**super().to_internal_value(data))


class AcceptedQuoteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=limits.QUOTE_TEXT, trim_whitespace=False)
    speaker = IdField(queryset=Expert.objects.all(), required=False, allow_null=True, help_text="An existing expert.")
    new_speaker = NewExpertSerializer(required=False, allow_null=True, help_text="Or a new expert, created.")
    relayed_by = IdField(queryset=Expert.objects.all(), required=False, allow_null=True)
    new_relayed_by = NewExpertSerializer(required=False, allow_null=True)
    visit = IdField(
        queryset=Visit.objects.all(),
        required=False,
        allow_null=True,
        help_text="Omit to use the article's visit when it covers exactly one.",
    )
    kind = serializers.ChoiceField(QuoteKind.choices, required=False, default=QuoteKind.DIRECT)
    notes = serializers.CharField(max_length=limits.NOTES, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if bool(attrs.get("speaker")) == bool(attrs.get("new_speaker")):
            raise serializers.ValidationError({"speaker": ["Name the speaker: `speaker` (an id) or `new_speaker`."]})
        if attrs.get("relayed_by") and attrs.get("new_relayed_by"):
            raise serializers.ValidationError({"relayed_by": ["Give `relayed_by` or `new_relayed_by`, not both."]})
        return review.AcceptedQuote(
            text=attrs["text"],
            speaker=attrs.get("speaker") or attrs["new_speaker"],
            relayed_by=attrs.get("relayed_by") or attrs.get("new_relayed_by"),
            visit=attrs.get("visit"),
            kind=attrs["kind"],
            notes=attrs["notes"],
        )


class NewArticleSerializer(serializers.ModelSerializer):
    """A new article's fields as the curator corrected them; its slug is made from the title when omitted."""

    outlet = IdField(queryset=Outlet.objects.all(), required=False, allow_null=True)
    new_outlet = NewOutletSerializer(required=False, allow_null=True, help_text="Or a new outlet, created.")
    visits = IdField(queryset=Visit.objects.all(), many=True, required=False)
    published_date_precision = serializers.ChoiceField(DatePrecision.choices, required=False)

    class Meta:
        model = Article
        fields = [
            "slug", "title", "subtitle", "author", "credit", "published_date", "published_date_precision",
            "published_date_inferred", "published_date_note", "published_time", "url", "language", "section",
            "view_count", "body", "notes", "outlet", "new_outlet", "visits",
        ]  # fmt: skip
        extra_kwargs = {"slug": {"required": False, "allow_blank": True}}

    def validate(self, attrs):
        if attrs.get("outlet") and attrs.get("new_outlet"):
            raise serializers.ValidationError({"outlet": ["Give `outlet` or `new_outlet`, not both."]})
        outlet = attrs.pop("outlet", None) or attrs.pop("new_outlet", None)
        attrs.pop("new_outlet", None)
        visits = attrs.pop("visits", [])
        return review.NewArticle(fields=attrs, outlet=outlet, visits=visits)


class AcceptSerializer(serializers.Serializer):
    article = NewArticleSerializer(required=False, help_text="A new article: the draft's fields, corrected.")
    article_id = IdField(
        queryset=Article.objects.all(), required=False, help_text="Or the corpus's copy of the page, to add quotes to."
    )
    quotes = AcceptedQuoteSerializer(many=True, max_length=QUOTES_PER_ACCEPT)

    def validate(self, attrs):
        if ("article" in attrs) == ("article_id" in attrs):
            raise serializers.ValidationError({"article": ["Send a new `article` or an existing `article_id`."]})
        if "article_id" in attrs and not attrs["quotes"]:
            raise serializers.ValidationError({"quotes": ["Accept at least one quote to add to the article."]})
        return attrs


def _per_field(errors: dict) -> dict:
    """The review's refusals as DRF words them: cross-field messages under non_field_errors."""
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if key == NON_FIELD_ERRORS else str(key)): _per_field(value)
        if isinstance(value, dict)
        else value
        for key, value in errors.items()
    }


class AcceptView(IngestView):
    @extend_schema(
        request=AcceptSerializer,
        responses={
            201: inline_serializer(
                "IngestAccepted",
                {
                    "article": ArticleSerializer(),
                    "article_created": serializers.BooleanField(),
                    "quotes": QuoteSerializer(many=True),
                    "experts_created": ExpertBriefSerializer(many=True),
                },
            )
        },
        summary="Save the article and the quotes a curator accepted",
        description="All or nothing, through the same rules as any write (provenance, versions, history). A "
        "refused field is answered 400 under `article` or under `quotes` and the quote's index. Creating a new "
        "expert needs corpus_app.add_expert, a new outlet corpus_app.add_outlet.",
    )
    def post(self, request):
        accepting = AcceptSerializer(data=request.data)
        accepting.is_valid(raise_exception=True)
        data = accepting.validated_data
        try:
            accepted = review.accept(
                user=request.user, article=data.get("article") or data["article_id"], quotes=data["quotes"]
            )
        except review.ReviewRefused as refused:
            raise serializers.ValidationError(_per_field(refused.errors)) from refused
        except review.ReviewConflict as race:
            raise Conflict(str(race)) from race
        context = {"request": request}
        article = Article.objects.for_listing().get(pk=accepted.article.pk)
        quotes = Quote.objects.for_listing().filter(pk__in=[quote.pk for quote in accepted.quotes])
        return Response(
            {
                "article": ArticleSerializer(article, context=context).data,
                "article_created": accepted.article_created,
                "quotes": QuoteSerializer(quotes, many=True, context=context).data,
                "experts_created": ExpertBriefSerializer(accepted.experts_created, many=True, context=context).data,
            },
            status=status.HTTP_201_CREATED,
        )


# ------------------------------------------------------------------ POST /api/ingest/reject/
class RejectSerializer(serializers.Serializer):
    url = serializers.URLField(required=False, allow_blank=True, default="", max_length=1000)
    body_digest = serializers.RegexField(
        r"^[0-9a-f]{64}$", required=False, help_text="The draft's `body_digest`, as POST /api/ingest/ answered it."
    )
    body = serializers.CharField(
        required=False, max_length=limits.ARTICLE_BODY, help_text="Or the body itself, to digest here."
    )
    texts = serializers.ListField(
        child=serializers.CharField(max_length=limits.QUOTE_TEXT), min_length=1, max_length=QUOTES_PER_ACCEPT
    )

    def validate(self, attrs):
        if ("body_digest" in attrs) == ("body" in attrs):
            raise serializers.ValidationError({"body_digest": ["Send the draft's `body_digest` or its `body`."]})
        if "body" in attrs:
            absent = [
                i for i, text in enumerate(attrs["texts"]) if not provenance.quote_is_in_article(text, attrs["body"])
            ]
            if absent:
                raise serializers.ValidationError(
                    {
                        "texts": {
                            i: ["These words are not in the body: only a suggestion can be rejected."] for i in absent
                        }
                    }
                )
        return attrs


class RejectView(IngestView):
    @extend_schema(
        request=RejectSerializer,
        responses={
            200: inline_serializer(
                "IngestRejected", {"rejected": serializers.IntegerField(), "new": serializers.IntegerField()}
            )
        },
        summary="Remember suggestions a curator rejected, so a re-ingest of the page does not propose them",
    )
    def post(self, request):
        rejecting = RejectSerializer(data=request.data)
        rejecting.is_valid(raise_exception=True)
        data = rejecting.validated_data
        new = review.reject(
            user=request.user,
            url=data["url"],
            body=data.get("body", ""),
            digest=data.get("body_digest", ""),
            texts=data["texts"],
        )
        return Response({"rejected": len(data["texts"]), "new": new})
