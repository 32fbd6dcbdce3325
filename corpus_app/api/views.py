"""The REST API: one thin viewset per resource; querysets come from each model's QuerySet."""

from django.core.exceptions import ObjectDoesNotExist
from django.db import router
from django.http import Http404
from django.utils.cache import patch_vary_headers
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings

from corpus_app.api import filters
from corpus_app.api import serializers as s
from corpus_app.api.conditional import not_modified, read_validators, version_named_by
from corpus_app.api.exceptions import VANISHED_DURING_WRITE, Conflict, PreconditionFailed
from corpus_app.api.exports import (
    add_exports,
    errors_in_json,
    export_parameters,
    export_schema_parameters,
    exported,
    is_export,
)
from corpus_app.api.facets import check_facet_format, facet_counts, facet_parameter, requested_facets
from corpus_app.api.history import HISTORY_PARAMETERS, HistoryMixin
from corpus_app.api.query_parameters import (
    check_query_parameters,
    list_parameters,
    repeatable_filters,
    shape_parameters,
)
from corpus_app.api.renderers import JSONLDRenderer
from corpus_app.api.shape_schema import schema_parameters
from corpus_app.api.shapes import ALL, FIELDS, answer_shape, give_shape, shaped_queryset
from corpus_app.api.transaction_bounds import bound_request_transaction, lock_for_write
from corpus_app.models import Article, City, Expert, Outlet, Quote, Visit, VisitParticipant

WRITE_METHODS = ("POST", "PUT", "PATCH")
CHANGE_METHODS = ("PUT", "PATCH", "DELETE")
DETAIL_ACTIONS = ("retrieve", "create", "update", "partial_update")
READ_METHODS = ("GET", "HEAD")


def check_if_match(request, instance) -> None:
    """Refuse a write based on another version than the current one (RFC 9110 If-Match).

    Without the header the write goes ahead (the database still refuses a lost update in a race).
    """
    header = request.headers.get("If-Match")
    if not header or header.strip() == "*":
        return
    # Strong comparison, as RFC 9110 asks of If-Match: a weak tag (W/"3") never matches. Only the
    # version that leads a read's tag is compared (conditional.py): a count or an embedded name that
    # moved since does not make the edit stale. A bare "3", as write answers carry, is a version too.
    named = {version_named_by(tag) for tag in header.split(",") if not tag.strip().startswith("W/")}
    if str(instance.version) not in named:
        raise PreconditionFailed(
            f"This record is at version {instance.version}, not the one If-Match names: someone changed it since "
            "you read it. Read it again (GET returns the current ETag) and redo the change."
        )


# Search fields of the lists that related lists take their records from, with their filters: an expert's
# quotes are filtered and searched as /api/quotes/ is (its @action sets these on the view).
QUOTE_SEARCH_FIELDS = ("text", "speaker__search_names", "relayed_by__search_names", "article__title")
ARTICLE_SEARCH_FIELDS = ("title", "subtitle", "body", "author", "outlet__name")
# The listed queryset too, for django-filter and the schema, which check it is the FilterSet's model.
RELATED_QUOTES = {
    "serializer_class": s.QuoteSerializer,
    "queryset": Quote.objects.for_listing(),
    "filterset_class": filters.QuoteFilter,
    "search_fields": QUOTE_SEARCH_FIELDS,
}
RELATED_ARTICLES = {
    "serializer_class": s.ArticleSerializer,
    "queryset": Article.objects.for_listing(),
    "filterset_class": filters.ArticleFilter,
    "search_fields": ARTICLE_SEARCH_FIELDS,
}


class CorpusAutoSchema(AutoSchema):
    """Writes take the write serializer and answer with the read one, as CorpusViewSet does."""

    def get_response_serializers(self):
        if self.method in WRITE_METHODS and getattr(self.view, "action", None) in DETAIL_ACTIONS:
            return self.view.serializer_class
        return super().get_response_serializers()

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        model = getattr(self.view, "listed_model", None) or self.view.queryset.model
        if is_export(self.view):
            parameters = [*parameters, *export_schema_parameters(model)]
        elif self.method == "GET" and self._is_list_view() and getattr(self.view, "action", None) != "history":
            if facet := facet_parameter(model):
                parameters = [*parameters, facet]
        if self.method == "GET" and FIELDS in self.view.query_parameters():
            parameters = [*parameters, *schema_parameters(self.view.get_serializer_class())]
        return parameters

    def _is_list_view(self, serializer=None):
        # An export answers a list (its filters and search are documented), one file rather than pages.
        return is_export(self.view) or super()._is_list_view(serializer)


class CorpusViewSet(HistoryMixin, viewsets.ModelViewSet):
    """CRUD where writes take ids (`write_serializer_class`) and every answer is the full read form.

    Every record carries a version, sent as its ETag; updates and deletes honour If-Match. The write
    serializer is chosen by HTTP method rather than action, so OPTIONS and the browsable API's forms
    describe what a client must send. Each request's transaction is bounded (transaction_bounds.py).
    A read of records (a list, a record, a related list) takes `?fields=` and `?expand=` (shapes.py);
    a write answers in the full read form and refuses them, as any parameter it does not take. Records
    are also JSON-LD (`Accept: application/ld+json`, linked_data.py); other endpoints write no linked data.
    """

    write_serializer_class = None
    # The model a related list (an @action) lists, for its orderings in the schema: @action(listed_model=Quote).
    listed_model = None
    lookup_value_regex = r"[0-9]+"  # ASCII: \d would take ١ (an Arabic-Indic one) for record 1
    schema = CorpusAutoSchema()
    renderer_classes = [*api_settings.DEFAULT_RENDERER_CLASSES, JSONLDRenderer]
    read_validators = None
    shape = ALL  # of this read's answer (shapes.py)
    record_version = None  # of the record read, for its ETag even when ?fields= leaves `version` out
    exporting = False  # a list's export (exports.py), which each viewset gets beside its lists

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        add_exports(cls)

    def initial(self, request, *args, **kwargs):
        # Before anything else, so that authentication's queries are bounded too. On the database the
        # request reads: a read served by a replica (config/ops/replicas.py) sends nothing to the primary.
        bound_request_transaction(using=router.db_for_read(self.queryset.model))
        super().initial(request, *args, **kwargs)
        if self.action is not None:  # a method the route does not take is answered 405, whatever it asks
            taken = self.query_parameters()
            check_query_parameters(request, taken, repeatable_filters(self))
            check_facet_format(request)
            if FIELDS in taken:
                self.shape = answer_shape(self.get_serializer_class(), request.query_params)

    def query_parameters(self) -> set[str]:
        """The query parameters this request's endpoint takes (query_parameters.py refuses others)."""
        if self.action == "history":
            return HISTORY_PARAMETERS
        if self.action in ("create", "update", "partial_update", "destroy", "metadata"):
            return set()
        shaping = shape_parameters(self.get_serializer_class())
        if self.action == "retrieve":
            return shaping
        # A list, or a related list (an expert's quotes), filtered like its records' list; or their export.
        if is_export(self):
            return export_parameters(list_parameters(self)) | shaping
        return list_parameters(self) | shaping

    def unchanged_since_client_read(self, request):
        """304 if the client's copy is current, before any record is read (conditional.py); else None."""
        if is_export(self):  # its rows depend on who asks (an anonymous client's limit): no shared tags
            return None
        self.read_validators = read_validators(request, is_record=self.action == "retrieve")
        return self.read_validators and not_modified(request, self.read_validators)

    def list(self, request, *args, **kwargs):
        if unchanged := self.unchanged_since_client_read(request):
            return unchanged
        return self.listed(self.filter_queryset(self.get_queryset()))

    def listed(self, rows):
        """A page of `rows` (filtered), with the facets `?facet=` asks for counted over all of them; or all of
        them, streamed, for an export."""
        if is_export(self):
            return exported(self, rows)
        facets = requested_facets(self.request, rows.model)
        page = self.paginate_queryset(rows)
        response = self.get_paginated_response(self.get_serializer(page, many=True).data)
        if facets:
            stamp = self.read_validators.stamp if self.read_validators else None
            response.data["facets"] = facet_counts(self.request, rows, facets, stamp)
        return response

    def retrieve(self, request, *args, **kwargs):
        return self.unchanged_since_client_read(request) or super().retrieve(request, *args, **kwargs)

    def get_object(self):
        if self.request.method in CHANGE_METHODS:
            # Locked before it is read, so that a concurrent delete cannot slip between the two.
            if not lock_for_write(self.queryset.model, self.kwargs[self.lookup_field]):
                raise Http404
        record = super().get_object()
        self.record_version = record.version
        return record

    def get_queryset(self):
        return shaped_queryset(super().get_queryset(), self.get_serializer_class(), self.read_shape())

    def read_shape(self):
        """The shape of the read answered. Not of the browsable API's forms and their permission checks, made
        as the method they submit, with the write serializer: those show what a write takes."""
        return self.shape if self.request is not None and self.request.method in READ_METHODS else ALL

    def get_serializer_class(self):
        if self.request is not None and self.request.method in WRITE_METHODS and self.write_serializer_class:
            return self.write_serializer_class
        return self.serializer_class

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        give_shape(serializer, self.read_shape())
        return serializer

    def perform_create(self, serializer):
        serializer.save()
        self._read_back(serializer)

    def perform_update(self, serializer):
        check_if_match(self.request, serializer.instance)
        serializer.save()
        self._read_back(serializer)

    def perform_destroy(self, instance):
        check_if_match(self.request, instance)
        instance.delete()

    def _read_back(self, serializer):
        # Through the listing queryset, so the answer's counts and embedded records are current. Its
        # joins find nothing if a related record was deleted meanwhile, where no foreign key check
        # ran before (SQLite checks them at commit only).
        try:
            serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)
        except ObjectDoesNotExist as vanished:
            raise Conflict(VANISHED_DURING_WRITE) from vanished
        serializer.context["answer_in_read_form"] = True

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if is_export(self):
            errors_in_json(response)
        # The same address answers JSON, JSON-LD or CSV by Accept: a shared cache must tell them apart.
        patch_vary_headers(response, ["Accept"])
        record = response.data if isinstance(getattr(response, "data", None), dict) else {}
        validators = self.read_validators
        if validators is not None and response.status_code == 200:
            version = self.record_version if validators.is_record else None
            response["ETag"] = validators.record_etag(version) if version else validators.list_etag()
            if last_modified := validators.last_modified():
                response["Last-Modified"] = last_modified
        elif self.action in DETAIL_ACTIONS and response.status_code < 300 and record.get("version") is not None:
            response["ETag"] = f'"{record["version"]}"'
        return response

    def get_success_headers(self, data):
        # DRF's default takes a `url` field for the new record's address; an article's url is its source page.
        return {"Location": reverse(f"{self.basename}-detail", args=[data["id"]], request=self.request)}

    def related_list(self, queryset):
        """A paginated list of records related to this one (an expert's quotes, a visit's articles), written by
        the action's serializer_class."""
        # 404 for an unknown id, without loading the record through its listing queryset's joins and counts.
        if unchanged := self.unchanged_since_client_read(self.request):
            return unchanged
        owner = type(self).queryset.model  # the action's own queryset lists the related records
        if not owner._default_manager.filter(pk=self.kwargs[self.lookup_field]).exists():
            raise Http404
        rows = shaped_queryset(queryset, self.get_serializer_class(), self.read_shape())
        return self.listed(self.filter_queryset(rows))


class OutletViewSet(CorpusViewSet):
    """Publishers of articles."""

    queryset = Outlet.objects.for_listing()
    serializer_class = s.OutletSerializer
    filterset_class = filters.OutletFilter
    search_fields = ("name",)


class CityViewSet(CorpusViewSet):
    """Places visits went to."""

    queryset = City.objects.for_listing()
    serializer_class = s.CitySerializer
    filterset_class = filters.CityFilter
    search_fields = ("name",)


class ExpertViewSet(CorpusViewSet):
    """Everyone the corpus names: the people quoted, and visitors and hosts."""

    queryset = Expert.objects.for_listing()
    serializer_class = s.ExpertSerializer
    filterset_class = filters.ExpertFilter
    search_fields = ("search_names", "role", "affiliation")

    @extend_schema(responses=s.QuoteSerializer(many=True))
    @action(detail=True, listed_model=Quote, **RELATED_QUOTES)
    def quotes(self, request, pk=None):
        """This expert's quotes."""
        return self.related_list(Quote.objects.for_listing().filter(speaker_id=pk))


class VisitViewSet(CorpusViewSet):
    """Visits: who travelled where and when, and whom they met."""

    queryset = Visit.objects.for_listing()
    serializer_class = s.VisitSerializer
    write_serializer_class = s.VisitWriteSerializer
    filterset_class = filters.VisitFilter
    search_fields = ("title", "summary", "participants__search_names")

    @extend_schema(responses=s.ArticleSerializer(many=True))
    @action(detail=True, listed_model=Article, **RELATED_ARTICLES)
    def articles(self, request, pk=None):
        """The articles covering this visit."""
        return self.related_list(Article.objects.for_listing().filter(visits=pk))

    @extend_schema(responses=s.QuoteSerializer(many=True))
    @action(detail=True, listed_model=Quote, **RELATED_QUOTES)
    def quotes(self, request, pk=None):
        """The quotes about this visit, in reading order."""
        return self.related_list(Quote.objects.for_listing().filter(visit_id=pk))


class VisitParticipantViewSet(CorpusViewSet):
    """Who took part in a visit, in what role and office."""

    queryset = VisitParticipant.objects.for_listing()
    serializer_class = s.VisitParticipantSerializer
    write_serializer_class = s.VisitParticipantWriteSerializer
    filterset_class = filters.VisitParticipantFilter
    # ?search= was documented here but searched nothing: now a participant's spellings and office.
    search_fields = ("person__search_names", "office")


class ArticleViewSet(CorpusViewSet):
    """Press articles, with their outlet, visits and number of quotes."""

    queryset = Article.objects.for_listing()
    serializer_class = s.ArticleSerializer
    write_serializer_class = s.ArticleWriteSerializer
    filterset_class = filters.ArticleFilter
    search_fields = ARTICLE_SEARCH_FIELDS

    @extend_schema(responses=s.QuoteSerializer(many=True))
    @action(detail=True, listed_model=Quote, **RELATED_QUOTES)
    def quotes(self, request, pk=None):
        """This article's quotes, in reading order."""
        return self.related_list(Quote.objects.for_listing().filter(article_id=pk))


class QuoteViewSet(CorpusViewSet):
    """Verbatim quotes with their speaker, article and visit."""

    queryset = Quote.objects.for_listing()
    serializer_class = s.QuoteSerializer
    write_serializer_class = s.QuoteWriteSerializer
    filterset_class = filters.QuoteFilter
    search_fields = QUOTE_SEARCH_FIELDS
