"""GET /api/search/: articles, quotes, experts and visits in one ranked list (corpus_app/search/)."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.utils.urls import remove_query_param, replace_query_param

from corpus_app.api.conditional import not_modified, read_validators
from corpus_app.api.filters import BIGGEST_ID
from corpus_app.api.query_bounds import SEARCH_MAX_LENGTH, SEARCH_REQUIRED_PATTERN, SEARCH_SYNTAX, search_bounds_error
from corpus_app.api.query_parameters import check_query_parameters
from corpus_app.api.serializers import ArticleBriefSerializer, ExpertBriefSerializer
from corpus_app.api.transaction_bounds import BoundedReadView
from corpus_app.api.whole_numbers import PageSizeField, WholeNumberField
from corpus_app.models import Expert
from corpus_app.search import engine, languages
from corpus_app.search.query import QueryError
from corpus_app.search.snippets import snippet
from corpus_app.search.targets import KINDS, SearchFilters

PAGE_SIZE, MAX_PAGE_SIZE = 20, 100


@extend_schema_field({"type": "string", "maxLength": SEARCH_MAX_LENGTH, "pattern": SEARCH_REQUIRED_PATTERN})
class SearchTextField(serializers.CharField):
    """A search, with the bounds ?search= has, stated in the schema the same way."""


class SearchParamsSerializer(serializers.Serializer):
    q = SearchTextField(max_length=SEARCH_MAX_LENGTH, help_text=SEARCH_SYNTAX)
    type = serializers.MultipleChoiceField(
        choices=KINDS, required=False, help_text="Only these kinds of record (comma-separated); all by default."
    )
    date_after = serializers.DateField(
        required=False,
        help_text="On or after this day (YYYY-MM-DD): an article's or quote's publication, a visit's start. "
        "Leaves experts out.",
    )
    date_before = serializers.DateField(required=False, help_text="On or before this day (YYYY-MM-DD), likewise.")
    expert = WholeNumberField(
        required=False,
        min_value=1,
        max_value=BIGGEST_ID,
        help_text="Expert id: quotes by them, articles quoting them, visits they took part in.",
    )
    visit = WholeNumberField(
        required=False,
        min_value=1,
        max_value=BIGGEST_ID,
        help_text="Visit id: quotes about it, articles covering it, its participants.",
    )
    outlet = WholeNumberField(
        required=False, min_value=1, max_value=BIGGEST_ID, help_text="Outlet id: its articles and their quotes."
    )
    page = WholeNumberField(required=False, min_value=1, max_value=engine.MAX_RANKED, default=1)
    page_size = PageSizeField(required=False, min_value=1, max_value=MAX_PAGE_SIZE, default=PAGE_SIZE)

    def to_internal_value(self, data):
        data = data.copy()
        if "type" in data:  # ?type=article,quote as well as ?type=article&type=quote
            data.setlist("type", [kind for value in data.getlist("type") for kind in value.split(",") if kind])
        return super().to_internal_value(data)

    def validate(self, attrs):
        if attrs["page"] * attrs["page_size"] > engine.MAX_RANKED:
            raise ValidationError(
                {
                    "page": [
                        f"Results are ranked to the first {engine.MAX_RANKED:,}; add a word or a filter to see others."
                    ]
                }
            )
        if error := search_bounds_error(attrs["q"]):
            raise ValidationError({"q": [error]})
        try:
            attrs["query"] = engine.parse_search(attrs["q"])
        except QueryError as error:
            raise ValidationError({"q": [str(error)]}) from None
        return attrs


SEARCH_PARAMETERS = frozenset(SearchParamsSerializer().fields)


class SearchHitSerializer(serializers.Serializer):
    """One hit: what it is, where to read it, how well it matched, and the words that matched, marked."""

    type = serializers.ChoiceField(choices=KINDS)
    id = serializers.IntegerField()
    url = serializers.URLField(help_text="The record in this API.")
    title = serializers.CharField(help_text="An article's or visit's title, an expert's name, a quote's opening words.")
    snippet = serializers.CharField(help_text="HTML: the text around the matches, escaped, each match in <mark>.")
    score = serializers.FloatField(help_text="Relevance; compare within one answer only.")
    date = serializers.DateField(allow_null=True, help_text="Publication (articles, quotes) or start (visits).")
    speaker = ExpertBriefSerializer(allow_null=True, help_text="A quote's speaker.")
    article = ArticleBriefSerializer(allow_null=True, help_text="A quote's article.")

    def to_representation(self, hit):
        record, request, result = hit.record, self.context["request"], self.context["result"]
        marker = result.marker(languages.DEFAULT_CONFIG)
        shown = {"speaker": None, "article": None, "date": None}
        if hit.kind == "article":
            marker = result.marker(languages.config_for(record.language))
            shown.update(title=str(record), text=record.body, date=record.published_date)
        elif hit.kind == "quote":
            shown.update(title=record.excerpt, text=record.text, date=record.article.published_date)
            shown.update(
                speaker=ExpertBriefSerializer(record.speaker).data, article=ArticleBriefSerializer(record.article).data
            )
        elif hit.kind == "expert":
            marker = result.marker(languages.DEFAULT_CONFIG, names=True)
            about = ", ".join(part for part in (record.role, record.affiliation) if part)
            spellings = "; ".join(record.spellings)
            shown.update(title=record.name, text=f"{spellings}. {about}" if about else spellings)
        else:
            shown.update(title=record.title, text=record.summary or record.title, date=record.start_date)
        return {
            "type": hit.kind,
            "id": hit.pk,
            "url": reverse(f"{hit.kind}-detail", args=[hit.pk], request=request),
            "title": shown["title"],
            "snippet": snippet(shown["text"], marker),
            "score": round(hit.score, 6),
            "date": shown["date"].isoformat() if shown["date"] else None,
            "speaker": shown["speaker"],
            "article": shown["article"],
        }


class SearchPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Matches found; a floor when count_is_floor.")
    count_is_floor = serializers.BooleanField(
        help_text=f"A kind of record had more than {engine.RANK_CANDIDATES:,} matches: only the first "
        f"{engine.RANK_CANDIDATES:,} the index found are ranked. Add a word or a filter."
    )
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = SearchHitSerializer(many=True)


class SearchView(BoundedReadView):
    """Ranked search across articles, quotes, experts and visits, with highlighted snippets."""

    read_model = Expert

    @extend_schema(
        parameters=[SearchParamsSerializer],
        responses=SearchPageSerializer,
        operation_id="search",
        description="Results are ordered by relevance and paged by page number (`page`, `page_size`) "
        f"to the first {engine.MAX_RANKED:,}. Matching folds accents, alphabets and romanisations; on "
        "PostgreSQL it stems words in the article's language and matches misspelt names by trigram "
        "similarity, on SQLite it stems English only and names must be spelt right (any transliteration).",
    )
    def get(self, request):
        check_query_parameters(request, SEARCH_PARAMETERS)
        self.validators = read_validators(request)
        if self.validators and (unchanged := not_modified(request, self.validators)):
            return unchanged
        params = SearchParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        p = params.validated_data
        filters = SearchFilters(
            **{name: p.get(name) for name in ("expert", "visit", "outlet", "date_after", "date_before")}
        )
        kinds = [kind for kind in KINDS if kind in (p.get("type") or KINDS)]  # none given: all
        offset = (p["page"] - 1) * p["page_size"]
        result = engine.search(p["query"], kinds=kinds, filters=filters, offset=offset, limit=p["page_size"])
        hits = SearchHitSerializer(result.hits, many=True, context={"request": request, "result": result}).data
        url = request.build_absolute_uri()
        has_next = offset + p["page_size"] < min(result.count, engine.MAX_RANKED)
        previous = None
        if p["page"] > 1:
            previous = (
                remove_query_param(url, "page") if p["page"] == 2 else replace_query_param(url, "page", p["page"] - 1)
            )
        return Response(
            {
                "count": result.count,
                "count_is_floor": result.count_is_floor,
                "next": replace_query_param(url, "page", p["page"] + 1) if has_next else None,
                "previous": previous,
                "results": hits,
            }
        )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        validators = getattr(self, "validators", None)
        if validators is not None and response.status_code == 200:
            response["ETag"] = validators.list_etag()
        return response
