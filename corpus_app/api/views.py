"""The REST API: one thin viewset per resource; querysets come from each model's QuerySet."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from corpus_app.api import filters
from corpus_app.api import serializers as s
from corpus_app.api.exceptions import PreconditionFailed
from corpus_app.models import Article, City, Expert, Outlet, Quote, Visit, VisitParticipant


def etag(instance) -> str:
    return f'"{instance.version}"'


def check_if_match(request, instance) -> None:
    """Refuse a write based on another version than the current one (RFC 9110 If-Match).

    Without the header the write goes ahead (the database still refuses a lost update in a race).
    """
    header = request.headers.get("If-Match")
    if not header or header.strip() == "*":
        return
    named = {tag.strip().removeprefix("W/").strip('"') for tag in header.split(",")}
    if str(instance.version) not in named:
        raise PreconditionFailed(
            f"This record is at version {instance.version}, not {header.strip()}: someone changed it since you "
            "read it. Read it again (GET returns the current ETag) and redo the change."
        )


class CorpusViewSet(viewsets.ModelViewSet):
    """CRUD where writes take ids (`write_serializer_class`) and every answer is the full read form.

    Every record carries a version, sent as its ETag; updates and deletes honour If-Match.
    """

    write_serializer_class = None
    lookup_value_regex = r"\d+"

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update") and self.write_serializer_class:
            return self.write_serializer_class
        return self.serializer_class

    def read_representation(self, instance):
        # Re-read through the listing queryset so counts and embedded objects are current.
        fresh = self.get_queryset().get(pk=instance.pk)
        return self.serializer_class(fresh, context=self.get_serializer_context()).data

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        return Response(self.get_serializer(instance).data, headers={"ETag": etag(instance)})

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        instance = serializer.instance
        return Response(
            self.read_representation(instance), status=status.HTTP_201_CREATED, headers={"ETag": etag(instance)}
        )

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        check_if_match(request, instance)
        serializer = self.get_serializer(instance, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        return Response(self.read_representation(serializer.instance), headers={"ETag": etag(serializer.instance)})

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        check_if_match(request, instance)
        self.perform_destroy(instance)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def related_list(self, queryset, serializer_class):
        """A paginated list of records related to this one (an expert's quotes, a visit's articles)."""
        self.get_object()  # 404 for an unknown id
        page = self.paginate_queryset(queryset)
        serializer = serializer_class(page, many=True, context=self.get_serializer_context())
        return self.get_paginated_response(serializer.data)


def write_schema(read, write):
    """Document that writes take the write shape and answer with the read shape."""
    return extend_schema_view(
        create=extend_schema(request=write, responses={201: read}),
        update=extend_schema(request=write, responses=read),
        partial_update=extend_schema(request=write, responses=read),
    )


@write_schema(s.OutletSerializer, s.OutletSerializer)
class OutletViewSet(CorpusViewSet):
    """Publishers of articles."""

    queryset = Outlet.objects.for_listing()
    serializer_class = s.OutletSerializer
    search_fields = ("name",)
    ordering_fields = ("name", "article_count", "created_at", "updated_at")


@write_schema(s.CitySerializer, s.CitySerializer)
class CityViewSet(CorpusViewSet):
    """Places visits went to."""

    queryset = City.objects.for_listing()
    serializer_class = s.CitySerializer
    filterset_fields = ("country",)
    search_fields = ("name",)
    ordering_fields = ("name", "visit_count", "created_at", "updated_at")


@write_schema(s.ExpertSerializer, s.ExpertSerializer)
class ExpertViewSet(CorpusViewSet):
    """Everyone the corpus names: the people quoted, and visitors and hosts."""

    queryset = Expert.objects.with_counts()
    serializer_class = s.ExpertSerializer
    filterset_class = filters.ExpertFilter
    search_fields = ("search_names", "role", "affiliation")
    ordering_fields = ("name", "quote_count", "article_count", "created_at", "updated_at")

    @extend_schema(responses=s.QuoteSerializer(many=True), filters=False)
    @action(detail=True)
    def quotes(self, request, pk=None):
        """This expert's quotes."""
        return self.related_list(Quote.objects.for_listing().filter(speaker_id=pk), s.QuoteSerializer)


@write_schema(s.VisitSerializer, s.VisitWriteSerializer)
class VisitViewSet(CorpusViewSet):
    """Visits: who travelled where and when, and whom they met."""

    queryset = Visit.objects.for_listing()
    serializer_class = s.VisitSerializer
    write_serializer_class = s.VisitWriteSerializer
    filterset_class = filters.VisitFilter
    search_fields = ("title", "summary", "participants__search_names")
    ordering_fields = ("start_date", "end_date", "title", "article_count", "quote_count", "created_at", "updated_at")

    @extend_schema(responses=s.ArticleSerializer(many=True), filters=False)
    @action(detail=True)
    def articles(self, request, pk=None):
        """The articles covering this visit."""
        return self.related_list(Article.objects.for_listing().filter(visits=pk), s.ArticleSerializer)

    @extend_schema(responses=s.QuoteSerializer(many=True), filters=False)
    @action(detail=True)
    def quotes(self, request, pk=None):
        """The quotes about this visit, in reading order."""
        return self.related_list(Quote.objects.for_listing().filter(visit_id=pk), s.QuoteSerializer)


@write_schema(s.VisitParticipantSerializer, s.VisitParticipantWriteSerializer)
class VisitParticipantViewSet(CorpusViewSet):
    """Who took part in a visit, in what role and office."""

    queryset = VisitParticipant.objects.select_related("visit", "person")
    serializer_class = s.VisitParticipantSerializer
    write_serializer_class = s.VisitParticipantWriteSerializer
    filterset_fields = ("visit", "person", "role")
    ordering_fields = ("created_at", "updated_at")


@write_schema(s.ArticleSerializer, s.ArticleWriteSerializer)
class ArticleViewSet(CorpusViewSet):
    """Press articles, with their outlet, visits and number of quotes."""

    queryset = Article.objects.for_listing()
    serializer_class = s.ArticleSerializer
    write_serializer_class = s.ArticleWriteSerializer
    filterset_class = filters.ArticleFilter
    search_fields = ("title", "subtitle", "body", "author", "outlet__name")
    ordering_fields = ("published_date", "title", "view_count", "quote_count", "created_at", "updated_at")

    @extend_schema(responses=s.QuoteSerializer(many=True), filters=False)
    @action(detail=True)
    def quotes(self, request, pk=None):
        """This article's quotes, in reading order."""
        return self.related_list(Quote.objects.for_listing().filter(article_id=pk), s.QuoteSerializer)


@write_schema(s.QuoteSerializer, s.QuoteWriteSerializer)
class QuoteViewSet(CorpusViewSet):
    """Verbatim quotes with their speaker, article and visit."""

    queryset = Quote.objects.for_listing()
    serializer_class = s.QuoteSerializer
    write_serializer_class = s.QuoteWriteSerializer
    filterset_class = filters.QuoteFilter
    search_fields = ("text", "speaker__search_names", "article__title")
    ordering_fields = ("position", "article__published_date", "speaker__name", "created_at", "updated_at")
