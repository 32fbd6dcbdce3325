"""How the OpenAPI schema states what `?fields=` and `?expand=` take and what they answer (shapes.py).

Each read of records documents both parameters, with the names it takes as an enum (`fields`: every field,
the fields of each record embedded in brief, and those of each record `expand` embeds in full, which
are valid with it alone). A shaped answer holds
only what was asked for, which a response schema cannot tie to the query string: so a shaped read's
answer is documented as either the usual record or its `…Shaped` form, the same fields all optional
and each expandable relation either brief or in full, built here from the components drf-spectacular
made. Schemathesis (tests/test_api_fuzz.py) holds every answer to it.
"""

import copy

from drf_spectacular.utils import OpenApiParameter

from corpus_app.api.shapes import EXPAND, FIELDS, ShapedSerializer, declared_fields, nested_serializer

SHAPED_SUFFIX = "Shaped"


def field_names(serializer_class, prefix: str = "") -> list[str]:
    """Every name `fields` takes without `expand`: each field, and each field of the records embedded."""
    names = []
    for name, value in declared_fields(serializer_class).items():
        names.append(f"{prefix}{name}")
        if (nested := nested_serializer(value)) is not None:
            names += field_names(type(nested), f"{prefix}{name}.")
    return names


def field_names_with_expand(serializer_class) -> list[str]:
    """Every name `fields` takes: those without `expand`, then each field of a record embedded in full."""
    names = field_names(serializer_class)
    for relation, full in serializer_class.expandable.items():
        names += field_names(full, f"{relation}.")
    return list(dict.fromkeys(names))


def schema_parameters(serializer_class) -> list[OpenApiParameter]:
    """The OpenAPI parameters of a shaped read: `fields` always, `expand` where a relation expands."""
    parameters = [
        _list_parameter(
            FIELDS,
            field_names_with_expand(serializer_class),
            "Only these fields, comma-separated (`fields=id,slug`), in the usual order; any other name is a "
            "400 listing the valid ones. A dotted name keeps one field of an embedded record; with `expand`, "
            "any field of the record embedded in full.",
        )
    ]
    if serializer_class.expandable:
        parameters.append(
            _list_parameter(
                EXPAND,
                list(serializer_class.expandable),
                "Embed these related records in full, as their own endpoint writes them, instead of the "
                "brief {id, slug, name…}; comma-separated. An expanded field is in the answer even if "
                "`fields` leaves it out.",
            )
        )
    return parameters


def _list_parameter(name: str, values: list[str], description: str) -> OpenApiParameter:
    """A comma-separated list of names (OpenAPI's form style, not exploded: `fields=id,slug`)."""
    schema = {"type": "array", "items": {"type": "string", "enum": values}, "minItems": 1, "uniqueItems": True}
    return OpenApiParameter(name, schema, OpenApiParameter.QUERY, description=description, style="form", explode=False)


def document_shaped_answers(result, generator, request, public):
    """Postprocessing hook: a shaped read answers its record, or the record's shaped form."""
    schemas = result.get("components", {}).get("schemas", {})
    shaped = _ShapedComponents(schemas)
    for operations in result.get("paths", {}).values():
        operation = operations.get("get")
        if operation is None or FIELDS not in {parameter["name"] for parameter in operation.get("parameters", [])}:
            continue
        for media in operation["responses"]["200"]["content"].values():
            if "$ref" not in media["schema"]:  # an export's CSV, a file of text
                continue
            name = _component_named(media["schema"])
            results = schemas[name].get("properties", {}).get("results")
            if results is None:
                media["schema"] = shaped.either(name)
            elif "$ref" in results["items"]:  # a list's page, which every list of these records shares
                results["items"] = shaped.either(_component_named(results["items"]))
    return result


class _ShapedComponents:
    """Adds `<Name>Shaped` beside each record component a shaped answer may hold, and those nested in it."""

    def __init__(self, schemas: dict):
        self.schemas = schemas
        self.expandable = {
            _component_name(cls): {name: _component_name(full) for name, full in cls.expandable.items()}
            for cls in _subclasses(ShapedSerializer)
        }

    def either(self, name: str) -> dict:
        return {"anyOf": [_ref(name), _ref(self.shaped(name))]}

    def shaped(self, name: str) -> str:
        shaped_name = f"{name}{SHAPED_SUFFIX}"
        if shaped_name not in self.schemas:
            component = copy.deepcopy(self.schemas[name])
            self.schemas[shaped_name] = component  # before its properties: a record may embed its own kind
            component.pop("required", None)
            component["description"] = (
                f"{name}, as `fields` and `expand` shape it: only the fields asked for (so none is required), "
                "an expanded relation in full."
            )
            expandable = self.expandable.get(name, {})
            for field, schema in component["properties"].items():
                component["properties"][field] = self._rewritten(schema, expandable.get(field))
        return shaped_name

    def _rewritten(self, node, full: str | None):
        """A property's schema with each record it embeds shaped, and brief or in full if it expands."""
        if isinstance(node, list):
            return [self._rewritten(item, full) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node and "properties" in self.schemas[name := _component_named(node)]:
            refs = [_ref(self.shaped(name)), *([_ref(self.shaped(full))] if full else [])]
            return refs[0] if len(refs) == 1 else {"anyOf": refs}
        return {key: self._rewritten(value, full) for key, value in node.items()}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _component_named(reference: dict) -> str:
    return reference["$ref"].rsplit("/", 1)[-1]


def _component_name(serializer_class) -> str:
    """drf-spectacular's name for a serializer's component."""
    return serializer_class.__name__.removesuffix("Serializer")


def _subclasses(cls) -> list[type]:
    return [sub for direct in cls.__subclasses__() for sub in (direct, *_subclasses(direct))]
