"""Records as JSON-LD with schema.org types: what `Accept: application/ld+json` and the corpus dump write.

A node is built from a record as the API's read serializers write it (the dict a JSON answer holds),
never from the model instance: JSON-LD then reads nothing the JSON answer does not (no query per row),
`?fields=` and `?expand=` shape it alike, and the API and the dump (linked_data_dump.py) write a record
the same way. Each node's `@id` is the record's address in the API, so nodes from different answers
(a quote's speaker, the expert's own record) are one node of the graph.

The `@context` is written inline, whole, in every document: a processor never fetches anything to
read one. Its terms are schema.org's, and Hydra's for the paging of a list (a `Collection` whose
`member`s are one page, and a `view` with that page's `next` and `previous`).

A partial date is written at its precision, as ISO 8601 reduced precision (`2016`, `2016-03`,
`2016-03-21`), never as the first day of its period that the database stores; an unknown date, or a
date whose precision `?fields=` left out, is not written. What schema.org has no property for (counts,
curators' notes, kinds, a quote's relayer, an article's local time) stays in the JSON answer.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse
from django_countries import countries
from rest_framework.utils.urls import remove_query_param

from corpus_app.api.pagination import KeysetPagination
from corpus_app.models import Article, City, Expert, Outlet, Quote, Visit, VisitParticipant
from corpus_app.models.dates import PERIOD_LENGTHS
from corpus_app.models.visit import VisitStatus

MEDIA_TYPE = "application/ld+json"
FORMAT = "jsonld"

SCHEMA_ORG = "https://schema.org/"
HYDRA = "http://www.w3.org/ns/hydra/core#"
_DATE = {"@type": "schema:Date"}
SCHEMA_TYPES = (
    "NewsArticle", "Quotation", "Event", "Person", "NewsMediaOrganization", "Organization", "City", "Country", "Role",
    "EventScheduled", "EventCancelled",
)  # fmt: skip
# Properties whose values are text or nodes, as written.
SCHEMA_PROPERTIES = (
    "identifier", "name", "alternateName", "description", "headline", "alternativeHeadline", "author", "creditText",
    "inLanguage", "articleSection", "articleBody", "publisher", "about", "subjectOf", "text", "spokenByCharacter",
    "isPartOf", "location", "containedInPlace", "attendee", "roleName", "jobTitle", "affiliation", "nationality",
)  # fmt: skip
CONTEXT = {
    "schema": SCHEMA_ORG,
    "hydra": HYDRA,
    **{name: f"schema:{name}" for name in (*SCHEMA_TYPES, *SCHEMA_PROPERTIES)},
    "url": {"@id": "schema:url", "@type": "@id"},
    "datePublished": {"@id": "schema:datePublished", **_DATE},
    "startDate": {"@id": "schema:startDate", **_DATE},
    "endDate": {"@id": "schema:endDate", **_DATE},
    "eventStatus": {"@id": "schema:eventStatus", "@type": "@vocab"},
    "Collection": "hydra:Collection",
    "PartialCollectionView": "hydra:PartialCollectionView",
    "member": "hydra:member",
    "totalItems": "hydra:totalItems",
    "view": "hydra:view",
    "next": {"@id": "hydra:next", "@type": "@id"},
    "previous": {"@id": "hydra:previous", "@type": "@id"},
}


@dataclass(frozen=True)
class Kind:
    """How one model's records are written: their schema.org type, their route, their properties."""

    type: str
    basename: str  # of the API's routes: "<basename>-list", "<basename>-detail"
    properties: Callable[[dict, "NodeWriter"], dict]


class NodeWriter:
    """Writes records as nodes. `absolute` makes an API path an address (the request's host, or the
    dump's --base-url). Related records are embedded as the answer gives them (brief, or in full with
    `?expand=`); with `embed=False` (the dump, where every record is a node of its own) only by `@id`."""

    def __init__(self, absolute: Callable[[str], str], *, embed: bool = True):
        self.absolute, self.embed = absolute, embed
        self._list_addresses = {}

    def iri(self, kind: Kind, pk) -> str:
        # A record's route is its list's plus "<id>/" (DRF's router): reversed once per kind, not per row.
        if (address := self._list_addresses.get(kind.basename)) is None:
            address = self._list_addresses[kind.basename] = self.absolute(reverse(f"{kind.basename}-list"))
        return f"{address}{pk}/"

    def node(self, kind: Kind, record: dict) -> dict:
        """The node of `record`; without an `@id` (a blank node) when `?fields=` left its `id` out."""
        node = {"@id": self.iri(kind, record["id"])} if record.get("id") is not None else {}
        node["@type"] = kind.type
        node.update(_present(kind.properties(record, self)))
        return node

    def link(self, kind: Kind, record: dict | None) -> dict | None:
        if record is None:
            return None
        if not self.embed and record.get("id") is not None:
            return {"@id": self.iri(kind, record["id"])}
        return self.node(kind, record)

    def links(self, kind: Kind, records: list | None) -> list[dict]:
        return [self.link(kind, record) for record in records or ()]


def _present(properties: dict) -> dict:
    return {name: value for name, value in properties.items() if value not in (None, "", [])}


def _listed(node: dict | None) -> list[dict]:
    return [node] if node else []


def partial_date(record: dict, name: str) -> str | None:
    """`name` at its precision: 2016 for a year, 2016-03 for a month (the stored 2016-03-01 is no such day)."""
    value, length = record.get(name), PERIOD_LENGTHS.get(record.get(f"{name}_precision"))
    return str(value)[:length] if value is not None and length else None


def country(code: str | None) -> dict | None:
    """A country, by its ISO 3166 code and English name (a blank node: the API has no record of countries)."""
    return {"@type": "Country", "identifier": str(code), "name": countries.name(code)} if code else None


def organization(name: str | None) -> dict | None:
    return {"@type": "Organization", "name": name} if name else None


# ------------------------------------------------------------------ one mapping per model
def _outlet(record, nodes):
    return {
        "identifier": record.get("slug"),
        "name": record.get("name"),
        "url": record.get("homepage"),
        "location": country(record.get("country")),
    }


def _city(record, nodes):
    return {
        "identifier": record.get("slug"),
        "name": record.get("name"),
        "containedInPlace": country(record.get("country")),
    }


def _expert(record, nodes):
    return {
        "identifier": record.get("slug"),
        "name": record.get("name"),
        "alternateName": record.get("alternate_names"),
        "jobTitle": record.get("role"),
        "affiliation": organization(record.get("affiliation")),
        "nationality": country(record.get("country")),
    }


def _visit(record, nodes):
    status = record.get("status")
    return {
        "identifier": record.get("slug"),
        "name": record.get("title"),
        "description": record.get("summary"),
        "startDate": partial_date(record, "start_date"),
        "endDate": partial_date(record, "end_date"),
        # schema.org's EventScheduled: "taking place or has taken place on the startDate as scheduled".
        "eventStatus": status and ("EventCancelled" if status == VisitStatus.CANCELLED else "EventScheduled"),
        "location": [*nodes.links(CITY, record.get("cities")), *_listed(country(record.get("host_country")))],
        # Through schema.org's Role (the participation), which says whether they travelled or were met.
        "attendee": nodes.links(PARTICIPANT, record.get("participants")),
        "subjectOf": nodes.links(ARTICLE, record.get("articles")),  # the latest few the answer embeds
    }


def _participant(record, nodes):
    visit = nodes.link(VISIT, record.get("visit"))
    return {
        "roleName": record.get("role"),
        "description": record.get("office"),
        "attendee": nodes.link(EXPERT, record.get("person")),
        # A participation read on its own: the visit's `attendee` is this Role.
        "@reverse": {"attendee": visit} if visit else None,
    }


def _article(record, nodes):
    return {
        "identifier": record.get("slug"),
        "headline": record.get("title"),
        "alternativeHeadline": record.get("subtitle"),
        "author": record.get("author"),
        "creditText": record.get("credit"),
        "datePublished": partial_date(record, "published_date"),
        "url": record.get("url"),
        "inLanguage": record.get("language"),
        "articleSection": record.get("section"),
        "articleBody": record.get("body"),
        "publisher": nodes.link(OUTLET, record.get("outlet")),
        "about": nodes.links(VISIT, record.get("visits")),
    }


def _quote(record, nodes):
    return {
        "text": record.get("text"),
        "spokenByCharacter": nodes.link(EXPERT, record.get("speaker")),
        "isPartOf": nodes.link(ARTICLE, record.get("article")),
        "about": nodes.link(VISIT, record.get("visit")),
    }


OUTLET = Kind("NewsMediaOrganization", "outlet", _outlet)
CITY = Kind("City", "city", _city)
EXPERT = Kind("Person", "expert", _expert)
VISIT = Kind("Event", "visit", _visit)
PARTICIPANT = Kind("Role", "visitparticipant", _participant)
ARTICLE = Kind("NewsArticle", "article", _article)
QUOTE = Kind("Quotation", "quote", _quote)
KINDS = {
    Outlet: OUTLET,
    City: CITY,
    Expert: EXPERT,
    Visit: VISIT,
    VisitParticipant: PARTICIPANT,
    Article: ARTICLE,
    Quote: QUOTE,
}


# ------------------------------------------------------------------ documents
def kind_answered_by(view) -> Kind | None:
    """The kind of records a view answers with, or None where an answer holds none (OPTIONS' metadata)."""
    if getattr(view, "action", None) in (None, "metadata"):
        return None
    model = getattr(getattr(view.get_serializer_class(), "Meta", None), "model", None)
    return KINDS.get(model)


def document(data: dict, kind: Kind, nodes: NodeWriter, address: str) -> dict:
    """The JSON-LD document of an answer at `address`: a record's node, or a list's page as a Collection."""
    if isinstance(data.get("results"), list):
        return collection(data, kind, nodes, address)
    return {"@context": CONTEXT, **nodes.node(kind, data)}


def collection(page: dict, kind: Kind, nodes: NodeWriter, address: str) -> dict:
    """A page of a list: the list (its address without a cursor, where its first page is) holds the
    page's records as `member`s; `view` is this page, with the links the JSON answer gives."""
    view = {"@id": address, "@type": "PartialCollectionView", "next": page["next"], "previous": page["previous"]}
    cursor = KeysetPagination.cursor_query_param
    first_page = remove_query_param(address, cursor) if cursor in parse_qs(urlsplit(address).query) else address
    return {
        "@context": CONTEXT,
        "@id": first_page,
        "@type": "Collection",
        **({"totalItems": page["count"]} if "count" in page else {}),
        "member": [nodes.node(kind, record) for record in page["results"]],
        "view": _present(view),
    }
