"""The shape of a read: `?fields=` keeps only some fields, `?expand=` embeds related records in full.

`fields=id,text,speaker.name` keeps those fields, in the serializer's order; a dotted name keeps one
field of an embedded record (any depth: `participants.person.name`), and naming a record plainly as
well keeps all of it. `expand=speaker,article` writes those relations with their own read serializer
(ExpertSerializer, not the brief {id, slug, name}); only relations a serializer declares in
`expandable` expand, one level deep, and a dotted name may then name any field of the full record
(`article.body`). An expanded relation is part of the answer even if `fields` leaves it out: naming it
in `expand` says it is wanted. Anything else is a 400 naming what is valid, before any record is read.

A shape is a frozen value: the compiled plans (compiled.py) are cached per (serializer class, shape).
It applies on both sides of a read. The serializer builds only the fields kept (ShapedSerializer), so
JSON, CSV columns and the compiled plan agree; and the queryset (shaped_queryset) drops the
prefetches of dropped fields, leaves their long texts unread, and prefetches each expanded relation
through its model's own for_listing(), a fixed number of queries per page whatever its size.
"""

from dataclasses import dataclass, field
from functools import cache

from django.db import models
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

FIELDS, EXPAND = "fields", "expand"
MAX_ERRORS = 5  # messages per parameter: a query string of garbage is not echoed back whole
MAX_NAME_SHOWN = 60


@dataclass(frozen=True)
class Shape:
    """Which fields an answer keeps (None: all), the shapes of embedded records it thins, what it expands."""

    fields: frozenset[str] | None = None
    nested: tuple[tuple[str, "Shape"], ...] = ()
    expand: frozenset[str] = field(default_factory=frozenset)

    def keeps(self, name: str) -> bool:
        return self.fields is None or name in self.fields

    def of(self, name: str) -> "Shape":
        """The shape of the record embedded as `name`."""
        return next((shape for nested_name, shape in self.nested if nested_name == name), ALL)


ALL = Shape()


class ShapedSerializer(serializers.Serializer):
    """A read serializer that builds only the fields of its `shape`, with its `expandable` relations in full.

    The view gives the shape to the serializer it answers with; a nested one gets its part of it from
    its parent, here, as it is built.
    """

    shape = ALL
    # field name → the read serializer that writes it in full (?expand=name)
    expandable: dict[str, type] = {}

    def get_fields(self):
        fields = super().get_fields()
        shape = self.shape
        if shape is ALL:
            return fields
        for name in shape.expand:
            fields[name] = _in_full(self.expandable[name], name, fields[name])
        kept = {name: value for name, value in fields.items() if shape.keeps(name)}
        for name, value in kept.items():
            if (nested := nested_serializer(value)) is not None:
                nested.shape = shape.of(name)
        return kept


def give_shape(serializer, shape: Shape) -> None:
    """Shape the answer of a view: a record's serializer, or a list's child."""
    target = serializer.child if isinstance(serializer, serializers.ListSerializer) else serializer
    if isinstance(target, ShapedSerializer):
        target.shape = shape


def in_full_attribute(source: str) -> str:
    """Where shaped_queryset puts an expanded relation's records, for the serializer to read them."""
    return f"{source}_in_full"


def _in_full(serializer_class, name: str, brief):
    many = isinstance(brief, serializers.ListSerializer)
    source = brief.source or name
    options = {} if many else {"allow_null": brief.allow_null}
    return serializer_class(source=in_full_attribute(source), many=many, read_only=True, **options)


def nested_serializer(value) -> ShapedSerializer | None:
    target = value.child if isinstance(value, serializers.ListSerializer) else value
    return target if isinstance(target, ShapedSerializer) else None


@cache
def declared_fields(serializer_class) -> dict:
    """A serializer's fields, whole and bound (so each knows its source): what names are checked against."""
    return dict(serializer_class().fields)


# ------------------------------------------------------------------ reading the query string
def answer_shape(serializer_class, query_params) -> Shape:
    """The shape a read asks for (ALL without `fields` or `expand`); a 400 naming what is valid otherwise."""
    errors = {}
    expand = _names(query_params, EXPAND)
    if expand is not None:
        unknown = [name for name in expand if name not in serializer_class.expandable]
        if unknown or not expand:
            errors[EXPAND] = [_unknown_expansion(serializer_class, name) for name in unknown[:MAX_ERRORS]] or [
                f"Name the relations to embed in full, comma-separated: {', '.join(serializer_class.expandable)}."
            ]
            expand = None
    expand = frozenset(expand or ())
    fields = _names(query_params, FIELDS)
    tree = None
    if fields is not None:
        tree, problems = _field_tree(serializer_class, fields, expand)
        if problems or not fields:
            example = ",".join(list(declared_fields(serializer_class))[:3])
            errors[FIELDS] = problems[:MAX_ERRORS] or [f"Name the fields to keep, comma-separated: fields={example}."]
    if errors:
        raise ValidationError(errors)
    if tree is None and not expand:
        return ALL
    shape = _shape_from(tree)
    return Shape(None if shape.fields is None else shape.fields | expand, shape.nested, expand)


def _names(query_params, parameter: str) -> list[str] | None:
    """The names a parameter gives, comma-separated and/or repeated, in order and once each; None if absent."""
    if parameter not in query_params:
        return None
    names = (name.strip() for value in query_params.getlist(parameter) for name in value.split(","))
    return list(dict.fromkeys(name for name in names if name))


def _field_tree(serializer_class, names: list[str], expand: frozenset[str]) -> tuple[dict, list[str]]:
    """{name: None (the whole field) or {nested name: …}}, and a message for each name that names no field."""
    tree, problems = {}, []
    for dotted in names:
        parts = dotted.split(".")
        if problem := _problem_with(serializer_class, parts, expand):
            problems.append(problem)
            continue
        node = tree
        for part in parts[:-1]:
            if node.get(part, {}) is None:
                break  # a plain name keeps the whole record, whatever dotted names say
            node = node.setdefault(part, {})
        else:
            node[parts[-1]] = None
    return tree, problems


def _problem_with(serializer_class, parts: list[str], expand: frozenset[str]) -> str | None:
    """Why a dotted name names no field (None if it names one): each part a field of the record before it."""
    owner = serializer_class
    for depth, part in enumerate(parts):
        fields = declared_fields(owner) if owner is not None else None
        if fields is None or part not in fields:
            return _unknown_field(serializer_class, parts[: depth + 1], fields, expand)
        if depth == 0 and part in expand:
            owner = serializer_class.expandable[part]
        else:
            nested = nested_serializer(fields[part])
            owner = type(nested) if nested is not None else None
    return None


def _shape_from(tree: dict | None) -> Shape:
    if tree is None:
        return ALL
    nested = tuple((name, _shape_from(tree[name])) for name in sorted(tree) if tree[name] is not None)
    return Shape(frozenset(tree), nested)


def _shown(name: str) -> str:
    return name if len(name) <= MAX_NAME_SHOWN else f"{name[:MAX_NAME_SHOWN]}…"


def _record_name(serializer_class) -> str:
    return serializer_class.Meta.model._meta.verbose_name


def _unknown_expansion(serializer_class, name: str) -> str:
    return (
        f"“{_shown(name)}” is not a relation a {_record_name(serializer_class)} can embed in full. "
        f"Use any of: {', '.join(serializer_class.expandable)}."
    )


def _unknown_field(serializer_class, path: list[str], fields: dict | None, expand: frozenset[str]) -> str:
    name, owner = _shown(".".join(path)), _shown(".".join(path[:-1]))
    if fields is None:
        return f"“{name}” is not a field: {owner} is a value, not an embedded record."
    if len(path) == 1:
        nested = any(nested_serializer(value) is not None for value in fields.values())
        hint = " A dotted name keeps one field of an embedded record (speaker.name)." if nested else ""
        return f"“{name}” is not a field. A {_record_name(serializer_class)} has: {', '.join(fields)}.{hint}"
    hint = ""
    if len(path) == 2 and path[0] in serializer_class.expandable and path[0] not in expand:
        full = serializer_class.expandable[path[0]]
        hint = f" With expand={path[0]}, every field of the {_record_name(full)}."
    return f"“{name}” is not a field. {owner} has: {', '.join(fields)}.{hint}"


# ------------------------------------------------------------------ the queryset of a shaped read
def shaped_queryset(queryset, serializer_class, shape: Shape):
    """`queryset` (a model's for_listing()) reading what `shape` shows of it, in a fixed number of queries.

    A prefetch serving only dropped (or expanded) fields is dropped, and so are their text columns
    (an article's body); the keys a page is sorted by are always read. An expanded relation comes
    through its own model's for_listing(), shaped in turn, into in_full_attribute(source).
    Computed fields (dates_display) read only the row's short columns, so what they need stays loaded.
    """
    if shape is ALL:
        return queryset
    fields = declared_fields(serializer_class)
    kept = {_head(value.source) for name, value in fields.items() if shape.keeps(name) and name not in shape.expand}
    dropped = {_head(value.source) for value in fields.values()} - kept
    lookups = [lookup for lookup in queryset._prefetch_related_lookups if _head(_lookup_path(lookup)) not in dropped]
    queryset = queryset.prefetch_related(None).prefetch_related(*lookups)
    unread = dropped & _long_texts(queryset.model)
    if unread:
        queryset = queryset.defer(*sorted(unread))
    for name in sorted(shape.expand):
        full = serializer_class.expandable[name]
        source = fields[name].source
        related = shaped_queryset(full.Meta.model.objects.for_listing(), full, shape.of(name))
        queryset = queryset.prefetch_related(models.Prefetch(source, related, to_attr=in_full_attribute(source)))
    return queryset


def _head(path: str) -> str:
    return path.replace("__", ".").split(".")[0]


def _lookup_path(lookup) -> str:
    return lookup.prefetch_to if isinstance(lookup, models.Prefetch) else lookup


@cache
def _long_texts(model) -> frozenset[str]:
    sort_columns = {_head(key.field) for keys in getattr(model, "sort_keys", {}).values() for key in keys}
    return frozenset(
        f.name for f in model._meta.concrete_fields if isinstance(f, models.TextField) and f.name not in sort_columns
    )
