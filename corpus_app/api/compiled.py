"""Serializers' representation compiled into plain getters: DRF's output without DRF's per-field work.

DRF writes a record field by field: for each field, get_attribute walks its source, checks for
None and calls to_representation, and nested serializers rebuild their bound fields. For a page of
50 quotes, each with its speaker, article and visit, that is most of the time spent on the request.
Here each serializer class is read once, from its own declared fields (so the fields stay declared in
serializers.py, and the OpenAPI schema with them), into a list of (name, getter, converter): plain
attribute reads and the conversions the corpus's field types need. A field of any other type keeps
DRF's own steps, get_attribute and to_representation, so the output is DRF's either way;
tests/test_api_compiled.py holds every read serializer to that.

A plan is compiled from a fresh instance of the class, not the one answering: a plan outlives the
request, and the answering serializer holds the request and its page of records. Plans are kept per
(class, shape) (shapes.py: ?fields= and ?expand=), the most recently used PLANS_KEPT of them, since
clients can ask for more shapes than memory should hold; each serializer remembers its own plan,
so a page looks it up once per serializer, not once per row.
"""

import datetime
from collections.abc import Callable
from functools import lru_cache
from operator import attrgetter

from django.conf import settings
from django.db.models import Manager
from django.utils import timezone
from rest_framework import fields as drf
from rest_framework import serializers
from rest_framework.relations import PKOnlyObject
from rest_framework.settings import api_settings

PLANS_KEPT = 512


def representation(serializer, instance) -> dict:
    """What `serializer.to_representation(instance)` returns, through the compiled plan of its class and shape."""
    plan = serializer.__dict__.get("_compiled_plan")
    if plan is None:
        plan = serializer._compiled_plan = _plan(type(serializer), getattr(serializer, "shape", None))
    result = {}
    for name, get, convert in plan:
        value = get(instance)
        result[name] = None if value is None else convert(value)
    return result


@lru_cache(maxsize=PLANS_KEPT)
def _plan(serializer_class, shape) -> list[tuple[str, Callable, Callable]]:
    serializer = serializer_class()
    if shape is not None:
        serializer.shape = shape
    return compile_fields(serializer)


def compile_fields(serializer) -> list[tuple[str, Callable, Callable]]:
    return [_compile_field(field) for field in serializer._readable_fields]


def _compile_field(field) -> tuple[str, Callable, Callable]:
    if isinstance(field, serializers.ListSerializer):
        child = field.child
        return (
            field.field_name,
            _many_getter(field),
            lambda related: [representation(child, item) for item in _all(related)],
        )
    if isinstance(field, serializers.BaseSerializer):
        return field.field_name, _getter(field), lambda related: representation(field, related)
    return field.field_name, _getter(field), _converter(field)


def _getter(field) -> Callable:
    if len(field.source_attrs) == 1 and not isinstance(field, (serializers.RelatedField, serializers.ManyRelatedField)):
        return attrgetter(field.source_attrs[0])
    # A dotted source, or a relation that DRF reads as primary keys only: DRF's own steps.
    return lambda instance: _pk_or_none(field.get_attribute(instance))


def _many_getter(field) -> Callable:
    """Prefetched rows straight from the prefetch cache: the attribute would build a related manager
    for every record (most of a page of visits' time) only to hand back the same rows."""
    if len(field.source_attrs) != 1:
        return _getter(field)
    name = field.source_attrs[0]

    def get(instance):
        prefetched = getattr(instance, "_prefetched_objects_cache", {})
        return prefetched[name] if name in prefetched else getattr(instance, name)

    return get


def _pk_or_none(attribute):
    if isinstance(attribute, PKOnlyObject) and attribute.pk is None:
        return None
    return attribute


def _all(related):
    return related.all() if isinstance(related, Manager) else related


def _converter(field) -> Callable:
    """The conversion DRF's to_representation makes, for the field types whose conversion is trivial."""
    implementation = type(field).to_representation
    if implementation is drf.IntegerField.to_representation:
        return int
    if implementation is drf.BigIntegerField.to_representation:
        if not getattr(field, "coerce_to_string", getattr(api_settings, "COERCE_BIGINT_TO_STRING", False)):
            return int
    if implementation is drf.CharField.to_representation:
        return str
    if implementation is drf.ReadOnlyField.to_representation:
        return _same
    if implementation is drf.DateField.to_representation and _iso(field, api_settings.DATE_FORMAT):
        return _isoformat
    if implementation is drf.TimeField.to_representation and _iso(field, api_settings.TIME_FORMAT):
        return _isoformat
    if implementation is drf.DateTimeField.to_representation and _iso(field, api_settings.DATETIME_FORMAT):
        if not hasattr(field, "timezone") and settings.USE_TZ:
            return _utc_isoformat if str(timezone.get_default_timezone()) == "UTC" else field.to_representation
    if implementation is drf.ChoiceField.to_representation:
        choices = field.choice_strings_to_values
        return lambda value: value if value == "" else choices.get(str(value), value)
    return field.to_representation


def _iso(field, default_format) -> bool:
    output_format = getattr(field, "format", default_format)
    return isinstance(output_format, str) and output_format.lower() == drf.ISO_8601


def _same(value):
    return value


def _isoformat(value):
    return value.isoformat()


def _utc_isoformat(value):
    """DRF's ISO 8601 for an aware datetime in a UTC project, without looking up the current time zone
    for each one (asgiref's Local made that most of a page's time). Nothing activates another zone."""
    written = value.astimezone(datetime.UTC).isoformat()
    return f"{written[:-6]}Z" if written.endswith("+00:00") else written
