"""GET /api/<resource>/<id>/history/: a record's versions, with who, when, why and what changed.

The admin's history pages, for scripts: the same entries (django-simple-history's), the same names
for who made them (services/history.py), changes without the bookkeeping every save moves.
"""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.decorators import action
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from corpus_app.api.fields import BIGGEST_ID
from corpus_app.api.renderers import FastJSONRenderer
from corpus_app.api.whole_numbers import PageSizeField, WholeNumberField
from corpus_app.services.history import HISTORY_TYPES, history_page

PAGE_SIZE, MAX_PAGE_SIZE = 20, 100


class CanReadHistory(permissions.BasePermission):
    """History names the curators who made each change: for users who may view the records, as in the admin."""

    message = "A record's history needs an account with the permission to view its records."

    def has_permission(self, request, view):
        opts = view.queryset.model._meta
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(f"{opts.app_label}.view_{opts.model_name}"))


class HistoryParamsSerializer(serializers.Serializer):
    before = WholeNumberField(
        required=False, min_value=1, max_value=BIGGEST_ID, help_text="The `next_before` of the previous page."
    )
    page_size = PageSizeField(
        required=False, min_value=1, max_value=MAX_PAGE_SIZE, default=PAGE_SIZE, help_text="Entries per page."
    )


HISTORY_PARAMETERS = frozenset(HistoryParamsSerializer().fields)


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.JSONField(allow_null=True, help_text="Relations as ids; a many-to-many as a list of ids.")
    new = serializers.JSONField(allow_null=True)


class HistoryEntrySerializer(serializers.Serializer):
    history_id = serializers.IntegerField()
    version = serializers.IntegerField(help_text="The record's version this entry made.")
    type = serializers.ChoiceField(sorted(HISTORY_TYPES.values()))
    date = serializers.DateTimeField()
    by = serializers.CharField(help_text="The user, or what wrote it: 'corpus load', 'archive import', 'system'.")
    reason = serializers.CharField(help_text="Why, as recorded: 'API: PATCH /api/quotes/12/', an admin's note.")
    changes = ChangeSerializer(many=True, help_text="What changed since the entry before; on creation, every value.")


class HistoryPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    next_before = serializers.IntegerField(allow_null=True)
    results = HistoryEntrySerializer(many=True)


class HistoryMixin:
    """Adds /history/ to a resource whose model keeps history."""

    @extend_schema(
        responses=HistoryPageSerializer,
        filters=False,
        parameters=[HistoryParamsSerializer],
        summary="The record's history, newest first",
        description="Every version with who made it, when, why and what changed. Needs the permission to view "
        "the records. A deleted record keeps its history.",
    )
    @action(
        detail=True,
        pagination_class=None,
        filter_backends=[],
        permission_classes=[CanReadHistory],
        renderer_classes=[FastJSONRenderer, BrowsableAPIRenderer],  # entries nest their changes: no CSV
    )
    def history(self, request, pk=None):
        params = HistoryParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        if int(pk) > BIGGEST_ID:
            raise Http404
        entries, next_before = history_page(
            self.queryset.model,
            int(pk),
            before=params.validated_data.get("before"),
            limit=params.validated_data["page_size"],
        )
        if not entries and params.validated_data.get("before") is None:
            raise Http404
        url = request.build_absolute_uri()
        next_url = replace_query_param(url, "before", next_before) if next_before else None
        body = {"next": next_url, "next_before": next_before, "results": entries}
        return Response(HistoryPageSerializer(body).data)
