"""The Datasette metadata of the copy: what each table and column is, from the models themselves.

Descriptions come from the models' docstrings, verbose names, help texts and choices (the admin's and
the API schema's source too), so a field documented once is documented for Datasette's readers.
Datasette names a database after its file (corpus.db is "corpus"), so the metadata is for one file name.
"""

from django.db import models
from django.utils.text import capfirst
from django_countries.fields import CountryField

from corpus_app.models.base import MaintainedCount

from .tables import TABLES, LinkTable, table_of

DEFAULTS = {
    "title": "Press coverage of diplomatic visits",
    "description": "Articles, the visits they cover, the people they quote, and the quotes, as curated in the "
    "corpus database. Quotes are verbatim and checked against the text of their article.",
    "source": "corpus",
}
ABOUT_KEYS = ("title", "description", "source", "source_url", "license", "license_url")
SHARED_COLUMNS = {
    "id": "The record's id in the corpus and its API.",
    "created_at": "When the record was added to the corpus (UTC).",
    "updated_at": "When the record was last changed in the corpus (UTC).",
}


def datasette_metadata(*, database_name: str, about: dict) -> dict:
    """Datasette's metadata.json for the copy served as `database_name`; `about` overrides DEFAULTS."""
    given = {key: value for key, value in about.items() if value}
    unknown = set(given) - set(ABOUT_KEYS)
    if unknown:
        raise ValueError(f"Unknown metadata keys: {', '.join(sorted(unknown))}.")
    tables = {}
    for table in TABLES:
        tables[table.name] = _table_metadata(table)
        for link in table.links:
            tables[link.name] = _link_metadata(link)
    return {**DEFAULTS, **given, "databases": {database_name: {"tables": tables}}}


def _table_metadata(table) -> dict:
    entry = {
        "description": _first_sentence(table.model.__doc__),
        "columns": {field.name: described for field in table.fields if (described := column_description(field))},
    }
    if table.label_column:
        entry["label_column"] = table.label_column
    if table.facets:
        entry["facets"] = list(table.facets)
    if table.sort_desc:
        entry["sort_desc"] = table.sort_desc
    return entry


def _link_metadata(link: LinkTable) -> dict:
    (owner, _, owner_table), (target, _, target_table) = link.columns
    described = (
        f"{capfirst(link.field.verbose_name)} of each {owner}: a row per pair of {owner_table} and {target_table}."
    )
    return {
        "description": " ".join(filter(None, (described, str(link.field.help_text)))),
        "columns": {owner: f"The {owner} ({owner_table}).", target: f"The {target} ({target_table})."},
        "facets": [target],
    }


def column_description(field: models.Field) -> str | None:
    """What a column holds, for a reader, or None when its name says it all (slug, name).

    From the field's verbose name when it says more than the column's name, its help text, what it
    refers to, its choices and its kind of value.
    """
    if field.name in SHARED_COLUMNS:
        return SHARED_COLUMNS[field.name]
    parts = []
    if str(field.verbose_name) != field.name.replace("_", " "):
        parts.append(capfirst(field.verbose_name))
    if field.many_to_one:
        parts.append(f"An id of {table_of(field.related_model).name}")
    if field.help_text:
        parts.append(str(field.help_text))
    if isinstance(field, CountryField):
        parts.append("An ISO 3166-1 two-letter country code")
    elif field.choices:
        parts.append("One of " + ", ".join(_choice(value, label) for value, label in field.choices))
    if isinstance(field, MaintainedCount):
        parts.append("Counted when the copy was made")
    return " ".join(part if part.endswith(".") else f"{part}." for part in parts) or None


def _choice(value, label) -> str:
    label = str(label)
    return label if label.startswith(value) else f"{value} ({label})"


def _first_sentence(text: str | None) -> str:
    """A model's docstring opens with what the record is, for anyone; the reasons after it are for developers."""
    sentence = " ".join((text or "").split()).split(". ")[0].split("; ")[0]
    return sentence.rstrip(".") + "."
