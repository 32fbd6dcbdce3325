"""How the OpenAPI schema documents JSON-LD answers (linked_data.py).

drf-spectacular lists `application/ld+json` beside JSON for every read and write of records, with the
JSON answer's schema; a JSON-LD document has another shape (a node with `@id` and `@type`, or a
list's page as a Hydra Collection), so this postprocessing hook, run after the others, documents it
so. Errors stay `application/json` (the renderer writes them as JSON), as the error responses say;
`facet`, which a JSON-LD answer cannot hold (a 400 there), says so.
"""

from corpus_app.api.facets import FACET_PARAM
from corpus_app.api.linked_data import KINDS, MEDIA_TYPE

_TYPES = ", ".join(sorted({kind.type for kind in KINDS.values()}))
_CONTEXT = {
    "type": "object",
    "description": "The inline context: each term and the schema.org (or Hydra) IRI it names.",
}
_LINK = {"type": "string", "format": "uri"}

COMPONENTS = {
    "LinkedDataNode": {
        "type": "object",
        "description": (
            f"A record as a JSON-LD node with schema.org terms: `@type` is one of {_TYPES}; `@id` is the "
            "record's address in this API (absent when `fields` leaves out `id`), and related records are "
            "nodes with their own `@id`. Dates are ISO 8601 at their precision (`2016`, `2016-03`, `2016-03-21`)."
        ),
        "required": ["@type"],
        "properties": {"@id": _LINK, "@type": {"type": "string"}},
        "additionalProperties": True,
    },
    "LinkedDataRecord": {
        "description": "A record's JSON-LD document: its node, with the context inline.",
        "allOf": [
            {"$ref": "#/components/schemas/LinkedDataNode"},
            {"type": "object", "required": ["@context"], "properties": {"@context": _CONTEXT}},
        ],
    },
    "LinkedDataCollection": {
        "type": "object",
        "description": (
            "A page of a list as JSON-LD: a Hydra Collection (`@id`: the list without `cursor`) whose `member`s are "
            "this page's records, and whose `view` is this page with its `next` and `previous` pages."
        ),
        "required": ["@context", "@id", "@type", "member", "view"],
        "properties": {
            "@context": _CONTEXT,
            "@id": _LINK,
            "@type": {"type": "string", "enum": ["Collection"]},
            "totalItems": {"type": "integer", "description": "The number of records of the list, with `count=true`."},
            "member": {"type": "array", "items": {"$ref": "#/components/schemas/LinkedDataNode"}},
            "view": {
                "type": "object",
                "required": ["@id", "@type"],
                "properties": {
                    "@id": _LINK,
                    "@type": {"type": "string", "enum": ["PartialCollectionView"]},
                    "next": {**_LINK, "description": "The next page; absent on the last."},
                    "previous": {**_LINK, "description": "The previous page; absent on the first."},
                },
            },
        },
    },
}


def document_linked_data(result, generator, request, public):
    """Postprocessing hook: each JSON-LD answer is documented as a record's node or a list's Collection."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("name") == FACET_PARAM and parameter.get("in") == "query":
                    parameter["description"] += " Not in a JSON-LD answer: with `format=jsonld`, a 400."
            for response in operation.get("responses", {}).values():
                content = response.get("content", {})
                if MEDIA_TYPE in content:
                    is_page = _is_page(content.get("application/json", {}).get("schema", {}), schemas)
                    name = "LinkedDataCollection" if is_page else "LinkedDataRecord"
                    content[MEDIA_TYPE] = {"schema": {"$ref": f"#/components/schemas/{name}"}}
    schemas.update(COMPONENTS)
    return result


def _is_page(schema: dict, schemas: dict) -> bool:
    """A list's page: the JSON answer's component has `results` (pagination.py)."""
    reference = schema.get("$ref", "")
    return "results" in schemas.get(reference.rsplit("/", 1)[-1], {}).get("properties", {})
