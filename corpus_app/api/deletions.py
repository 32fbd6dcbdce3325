"""GET /api/deletions/?since=: the records deleted since a moment, for a client that mirrors the corpus.

With `?updated_since=` on every list it makes a mirror exact (README, "Recipes"): each round reads
this feed first, keeps its `next_since` for the next round, then reads each list changed since the
previous round's. Paged by a signed cursor on (deleted_at, type, entry), oldest first.
"""

import datetime

from django.core import signing
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from corpus_app.api.query_parameters import check_query_parameters
from corpus_app.api.transaction_bounds import BoundedReadView
from corpus_app.api.whole_numbers import PageSizeField
from corpus_app.models import Article
from corpus_app.services.deletions import DELETABLE, deletions_since
from corpus_app.sync import sync_point

PAGE_SIZE, MAX_PAGE_SIZE = 100, 500
CURSOR_SALT = "corpus_app.api.deletions.cursor"


class DeletionsParamsSerializer(serializers.Serializer):
    since = serializers.DateTimeField(
        help_text="Deletions at or after this time (ISO 8601): the `next_since` of the previous round's first page."
    )
    type = serializers.MultipleChoiceField(
        choices=list(DELETABLE),
        required=False,
        help_text="Only these kinds of record (comma-separated); all by default.",
    )
    cursor = serializers.CharField(required=False, max_length=500, help_text="From the `next` link, as given.")
    page_size = PageSizeField(required=False, min_value=1, max_value=MAX_PAGE_SIZE, default=PAGE_SIZE)

    def to_internal_value(self, data):
        data = data.copy()
        if "type" in data:  # ?type=quote,article as well as ?type=quote&type=article
            data.setlist("type", [kind for value in data.getlist("type") for kind in value.split(",") if kind])
        return super().to_internal_value(data)

    def validate_cursor(self, token):
        try:
            date, rank, history_id = signing.loads(token, salt=CURSOR_SALT)
            return [datetime.datetime.fromisoformat(date), int(rank), int(history_id)]
        except (signing.BadSignature, ValueError, TypeError) as invalid:
            raise ValidationError("Not a cursor of this feed: follow the `next` link as given.") from invalid


DELETIONS_PARAMETERS = frozenset(DeletionsParamsSerializer().fields)


class DeletionSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=list(DELETABLE), help_text="The kind of record: its route's name.")
    id = serializers.IntegerField()
    natural_key = serializers.ListField(
        child=serializers.CharField(allow_null=True),
        allow_null=True,
        help_text="As fixtures and archives name it: [slug]; a quote [article slug, text digest]; a participant "
        "[visit slug, person slug, role]. Null when `key_now_held`.",
    )
    key_now_held = serializers.BooleanField(
        help_text="A live record of this type has this record's natural key now (a quote added again, a slug "
        "reused or renamed to): delete by `id` only. The live record is in the lists' changes of the same round."
    )
    deleted_at = serializers.DateTimeField()


class DeletionsPageSerializer(serializers.Serializer):
    next_since = serializers.DateTimeField(
        help_text="Pass as `since` here and as `updated_since` on the lists in the next round (take it from the "
        "round's first page): it goes back far enough that a write committing late is not missed."
    )
    next = serializers.URLField(allow_null=True)
    results = DeletionSerializer(many=True)


class DeletionsView(BoundedReadView):
    """Records deleted since a moment: what a mirror must delete. Open to all: the kinds, ids and slugs of
    records gone, which any list showed to anyone before the deletion."""

    read_model = Article

    @extend_schema(
        parameters=[DeletionsParamsSerializer],
        responses=DeletionsPageSerializer,
        operation_id="deletions",
        description="Records deleted at or after `since` and not restored, oldest first. With `updated_since` on "
        "each list it keeps a mirror exact: README, Recipes.",
    )
    def get(self, request):
        check_query_parameters(request, DELETIONS_PARAMETERS)
        params = DeletionsParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        p = params.validated_data
        # Before the feed is read: anything deleted after this point is in the next round.
        next_since = sync_point()
        types, size = sorted(p.get("type") or ()), p["page_size"]
        page = deletions_since(p["since"], types=types, after=p.get("cursor"), limit=size)
        more = len(page) > size
        page = page[:size]
        next_url = None
        if more:
            date, rank, history_id = page[-1].position
            token = signing.dumps([date.isoformat(), rank, history_id], salt=CURSOR_SALT)
            next_url = replace_query_param(request.build_absolute_uri(), "cursor", token)
        body = DeletionsPageSerializer({"next_since": next_since, "next": next_url, "results": page}).data
        # Also as headers, which a CSV answer (its rows the results alone) keeps: a client can page and resume.
        headers = {"X-Next-Since": body["next_since"], **({"Link": f'<{next_url}>; rel="next"'} if next_url else {})}
        return Response(body, headers=headers)
