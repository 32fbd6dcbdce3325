"""Import an archive file (format: this package's docstring) into an empty corpus, in one transaction.

Every row is checked against every corpus rule before it is written, in Python, without a query per
row: field validators and choices (`clean_fields`), the models' check constraints (constraints.py),
uniqueness, the expert spelling rules, and provenance (a quote's words are in its article's body, at
most once per article, about a visit its article covers). Rows are then written in batches (COPY on
PostgreSQL) with the history entry each would have had. A bad record stops the import with its line
number and the reason, and the transaction rolls back: nothing of the file is written.

Only an empty corpus is loaded into: merging by slug into curated rows would need every rule against
the stored rows too, and `loaddata` already does that for small files.

Memory: one article (with its quotes) and one batch of rows at a time, plus, for the records the
file refers to by slug, a map of slug to id (outlets, cities, experts, visits: a small fraction of
the articles) and every expert's spellings (the rule on other experts' names needs them). Article
slugs and URLs are checked against earlier batches with one query per batch.
"""

from contextlib import contextmanager
from functools import cache

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.utils.dateparse import parse_datetime

from corpus_app import provenance
from corpus_app.models import Article
from corpus_app.models.expert import name_taken_message, spellings_problem

from .bulk_writer import BulkWriter
from .constraints import check_constraint_errors, unique_key_value, unique_keys
from .hooks import after_bulk_load
from .progress import Summary, progress_bar
from .reader import ArchiveError, archive_records
from .records import COUNTED, IMPORT_REASON, KINDS_BY_NAME, PARTICIPANT, QUOTE, TOP_KINDS


def corpus_import(*, stream, fmt: str | None = None, using: str = "default", progress=None, size=None) -> Summary:
    """Load the archive in the binary `stream` into the empty corpus of database `using`.

    Raises ArchiveError (line and reason) on the first bad record, with nothing written.
    `size`, the file's size in bytes when known, scales the progress bar.
    """
    counter, records = archive_records(stream, fmt=fmt)
    summary = records_import(records=records, using=using, progress=progress, size=size, counter=counter)
    summary.bytes = counter.bytes
    return summary


def records_import(*, records, using: str = "default", progress=None, size=None, counter=None, total=None) -> Summary:
    """Load (where, record) pairs, as archive_records yields them, into the empty corpus of `using`.

    The generator of generate_corpus feeds records here directly. The progress bar counts bytes of
    `counter` up to `size`, or else articles up to `total`.
    """
    summary = Summary("Imported")
    by_bytes = counter is not None and size is not None
    bar = progress_bar(total=size if by_bytes else total, enabled=progress, desc="import",
                       unit="B" if by_bytes else "article", unit_scale=by_bytes)  # fmt: skip
    with bar, transaction.atomic(using=using):
        corpus_empty_check(using)
        loader = _Loader(using)
        for where, record in records:
            loader.where = where
            try:
                loader.load(record)
            except ValidationError as error:
                raise ArchiveError(where, _describe(error)) from None
            except ArchiveError as error:
                # A record's own problem names no place yet; a batch check names the record it found.
                raise ArchiveError(error.where or where, error.message) from None
            except DatabaseError as error:  # a batch written when this record filled it
                raise ArchiveError(where, f"the database refused a row of the batch ending here: {error}") from None
            bar.update(counter.bytes - bar.n if by_bytes else record.get("record") == "article")
        try:
            loader.finish()
        except DatabaseError as error:
            raise ArchiveError("end of file", f"the database refused a row of the last batch: {error}") from None
        after_bulk_load(using)
    summary.counts = loader.counts
    return summary.finish()


def corpus_empty_check(using: str) -> None:
    for kind in TOP_KINDS:
        count = kind.model._base_manager.using(using).count()
        if count:
            raise ArchiveError(
                "database",
                f"the corpus is not empty ({count:,} {kind.model._meta.verbose_name_plural} already): an archive "
                "loads only into an empty corpus. Use a new database, or `manage.py loaddata` to merge a fixture.",
            )


TEXT_FIELDS = (models.CharField, models.TextField)


def json_type_problem(field, value) -> str | None:
    """Why `value`, as JSON gave it, is not of the field's type, or None. Django's to_python would turn
    a list into its repr for a text field, and 1.5 or true into 1 for a number: an archive is exact."""
    if value is None:
        return None if field.null else "a value is required, not null."
    if isinstance(field, TEXT_FIELDS) and not isinstance(value, str):
        return f"{value!r} is not text."
    if isinstance(field, models.IntegerField) and (isinstance(value, bool) or not isinstance(value, int)):
        return f"{value!r} is not a whole number."
    if isinstance(field, models.BooleanField) and not isinstance(value, bool):
        return f"{value!r} is not true or false."
    if isinstance(field, models.DateTimeField) and not (isinstance(value, str) and _with_offset(value)):
        return f"{value!r} is not a date and time with its offset from UTC (e.g. 2023-02-27T10:00:00+00:00)."
    return None


def _with_offset(text: str) -> bool:
    """An ISO 8601 date and time as Django parses them, carrying its offset from UTC."""
    try:
        parsed = parse_datetime(text)
    except ValueError:  # well formed, but no such moment (a 31 February)
        return False
    return parsed is not None and parsed.tzinfo is not None


def _describe(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
    return " ".join(error.messages)


def _fail(message: str):
    raise ArchiveError("", message)


@contextmanager
def _nested_where(name: str, number: int):
    """Name the nested row (quote 3 of the article's line) in what is wrong with it."""
    try:
        yield
    except ValidationError as error:
        raise ArchiveError("", f"{name} {number}: {_describe(error)}") from None


@cache
def _history_model(model):
    # `Model.history` builds a manager class on every access: far too slow to ask once per row.
    return model.history.model


def _plain_m2m(model):
    """Many-to-many fields whose rows are only the pair (visits, cities), not a model of their own."""
    return [field for field in model._meta.local_many_to_many if field.remote_field.through._meta.auto_created]


class _Loader:
    """Checks and numbers records one at a time, and hands their rows to a BulkWriter."""

    def __init__(self, using: str):
        self.writer = BulkWriter(using)
        self.using = using
        self.stage = 0  # index in TOP_KINDS of the kind being read: kinds come in order
        self.ended = False
        self.counts = dict.fromkeys(COUNTED, 0)
        self.ids = {kind.name: {} for kind in TOP_KINDS}  # slug -> id of records articles and visits refer to
        self.seen_keys: dict[tuple, set] = {}  # uniqueness of the small kinds, in memory
        self.expert_names: dict[str, str] = {}  # canonical name -> slug
        self.expert_spellings: dict[str, str] = {}  # alternate spelling -> slug
        self.article_keys: dict[tuple, str] = {}  # (rule, value) -> where, for this batch's articles
        self.where = ""  # the record being loaded
        self._tables()

    # ------------------------------------------------------------------ tables
    def _tables(self):
        """Create the tables parents first, so rows are written in an order foreign keys accept."""
        models = []
        for kind in TOP_KINDS:
            models.append(kind.model)
            models.extend(field.remote_field.through for field in _plain_m2m(kind.model))
            models.extend(child.model for _, child in kind.nested)
        for model in models:
            if model._meta.auto_created:
                self.writer.table(model)
                continue
            self.writer.table(model, ids_also_in=[(_history_model(model), "id")])
        for model in models:
            if not model._meta.auto_created:
                self.writer.table(_history_model(model))
                for field in _plain_m2m(model):
                    self.writer.table(self._m2m_history_model(model, field))

    @staticmethod
    @cache
    def _m2m_history_model(model, field):
        history = _history_model(model)
        return apps.get_model(history._meta.app_label, f"{history.__name__}_{field.name}")

    # ------------------------------------------------------------------ records
    def load(self, record) -> None:
        if not isinstance(record, dict) or "record" not in record:
            _fail('a record is a JSON object with a "record" naming its kind.')
        if self.ended:
            _fail("a record after the end line.")
        name = record["record"]
        if name == "end":
            return self._end(record)
        kind = KINDS_BY_NAME.get(name)
        if kind is None:
            _fail(f"unknown kind {name!r}; an archive holds {', '.join(KINDS_BY_NAME)}, then end.")
        index = TOP_KINDS.index(kind)
        if index < self.stage:
            _fail(f"a {name} after the {TOP_KINDS[self.stage].name}s: every {name} comes before them.")
        self.stage = index
        getattr(self, f"_load_{name}")(kind, record)
        self._article_batch_check(when_full=True)

    def _instance(self, kind, record, **known):
        """An unsaved instance from the record's fields, relations resolved; raises on any invalid value."""
        nested = {key for key, _ in kind.nested}
        unknown = sorted(set(record) - {"record", *kind.fields, *nested})
        if unknown:
            _fail(f"unknown field(s) {', '.join(unknown)} in a {kind.name}.")
        values, errors = dict(known), {}
        for name in kind.fields:
            field = kind.field(name)
            if name not in record or field.many_to_many:
                continue
            try:
                if field.is_relation:
                    values[field.attname] = self._id_of(field, record[name])
                elif problem := json_type_problem(field, record[name]):
                    errors[name] = [problem]
                else:
                    values[field.attname] = field.to_python(record[name])
            except ValidationError as error:
                errors[name] = error.messages
            except (TypeError, ValueError):  # a parser given a number or a list where it reads text
                errors[name] = [f"{record[name]!r} is not a valid value."]
        created, updated = values.get("created_at"), values.get("updated_at")
        if created and updated and created > updated:
            errors["updated_at"] = ["updated_at is before created_at."]
        if errors:
            raise ValidationError(errors)
        instance = kind.model(**values)
        if kind is not QUOTE:  # a quote's derived fields come from its article's text, normalised once
            instance.derive_fields()
        return instance

    def _id_of(self, field, slug):
        if slug is None:
            if not field.null:
                raise ValidationError(f"a {field.related_model._meta.verbose_name} is required.")
            return None
        found = self.ids[field.related_model._meta.model_name].get(slug) if isinstance(slug, str) else None
        if found is None:
            raise ValidationError(
                f"no {field.related_model._meta.verbose_name} with slug {slug!r} (it must come before this record)."
            )
        return found

    def _slug_list(self, kind, record, name) -> list[int]:
        field = kind.field(name)
        slugs = record.get(name, [])
        if not isinstance(slugs, list) or len(set(map(str, slugs))) != len(slugs):
            raise ValidationError({name: "a list of distinct slugs."})
        try:
            return [self._id_of(field, slug) for slug in slugs]
        except ValidationError as error:
            raise ValidationError({name: error.messages}) from None

    def _validate(self, instance, *, check_unique=True) -> None:
        """Field validators and check constraints, and uniqueness among the small kinds, without a query."""
        relations = [field.name for field in instance._meta.concrete_fields if field.is_relation]
        try:
            instance.clean_fields(exclude=relations)
        except ValidationError as error:
            raise ValidationError({**error.message_dict}) from None
        broken = check_constraint_errors(instance)
        if broken:
            raise ValidationError(broken)
        if check_unique:
            for fields, condition, message in unique_keys(type(instance)):
                value = unique_key_value(instance, fields, condition)
                seen = self.seen_keys.setdefault((type(instance), fields), set())
                if value in seen:
                    raise ValidationError(message)
                if value is not None:
                    seen.add(value)

    def _add(self, kind_name: str, instance) -> None:
        """Number the instance and queue its row and its first history entry."""
        table = self.writer.table(type(instance))
        instance.pk = table.allocate_id()
        table.add_instance(instance)
        history = self.writer.table(_history_model(type(instance)))
        history_id = history.allocate_id()
        extra = {
            "history_id": history_id,
            "history_date": instance.updated_at,
            "history_change_reason": IMPORT_REASON,
            "history_type": "+",
            "history_user_id": None,
        }
        history.add(tuple(extra[name] if name in extra else getattr(instance, name) for name in history.attnames))
        instance._history_id = history_id
        self.counts[kind_name] += 1

    def _add_m2m(self, instance, name: str, target_ids) -> None:
        field = instance._meta.get_field(name)
        through = self.writer.table(field.remote_field.through)
        history = self.writer.table(self._m2m_history_model(type(instance), field))
        source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
        for target_id in target_ids:
            row = {"id": through.allocate_id(), source: instance.pk, target: target_id}
            through.add(tuple(row[name] for name in through.attnames))
            row.update(history_id=instance._history_id, m2m_history_id=history.allocate_id())
            history.add(tuple(row[name] for name in history.attnames))

    def _load_simple(self, kind, record):
        instance = self._instance(kind, record)
        self._validate(instance)
        self._add(kind.name, instance)
        self.ids[kind.name][instance.slug] = instance.pk
        return instance

    _load_outlet = _load_simple
    _load_city = _load_simple

    def _load_expert(self, kind, record):
        instance = self._instance(kind, record)
        problem = spellings_problem(instance.name, instance.alternate_names)
        if problem:
            raise ValidationError({"alternate_names": problem})
        self._validate(instance)
        for spelling in instance.spellings:
            if spelling in self.expert_names:
                raise ValidationError({"alternate_names": name_taken_message(spelling, self.expert_names[spelling])})
        if instance.name in self.expert_spellings:
            other = self.expert_spellings[instance.name]
            raise ValidationError({"name": f"'{instance.name}' is an alternate spelling of another expert ({other})."})
        self.expert_names[instance.name] = instance.slug
        self.expert_spellings.update(dict.fromkeys(instance.alternate_names, instance.slug))
        self._add(kind.name, instance)
        self.ids["expert"][instance.slug] = instance.pk

    def _load_visit(self, kind, record):
        city_ids = self._slug_list(kind, record, "cities")
        participants = self._nested_list(record, "participants")
        visit = self._load_simple(kind, record)
        self._add_m2m(visit, "cities", city_ids)
        seen = set()
        for number, row in enumerate(participants, start=1):
            with _nested_where("participant", number):
                participant = self._instance(PARTICIPANT, row, visit_id=visit.pk)
                self._validate(participant, check_unique=False)
                key = (participant.person_id, participant.role)
                if key in seen:
                    raise ValidationError("this person is listed twice in this role.")
                seen.add(key)
                self._add("participant", participant)

    def _load_article(self, kind, record):
        visit_ids = self._slug_list(kind, record, "visits")
        quotes = self._nested_list(record, "quotes")
        article = self._instance(kind, record)
        self._validate(article, check_unique=False)
        self._article_keys(article)
        self._add(kind.name, article)
        self._add_m2m(article, "visits", visit_ids)
        body, covered, digests = provenance.ArticleText(article.body), set(visit_ids), set()
        for number, row in enumerate(quotes, start=1):
            with _nested_where("quote", number):
                quote = self._instance(QUOTE, row, article_id=article.pk)
                quote.text_digest = provenance.quote_digest(quote.text) if isinstance(quote.text, str) else ""
                quote.position = body.position_of(quote.text) if isinstance(quote.text, str) else None
                if isinstance(quote.text, str):
                    quote.derive_search_text()
                self._validate(quote, check_unique=False)
                errors = provenance.quote_errors(quote.text, quote.visit_id, body, covered)
                if errors:
                    raise ValidationError(errors)
                if quote.text_digest in digests:
                    raise ValidationError("the article already has this quote.")
                digests.add(quote.text_digest)
                self._add("quote", quote)

    @staticmethod
    def _nested_list(record, key):
        rows = record.get(key, [])
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise ValidationError({key: "a list of objects."})
        return rows

    # ------------------------------------------------------------------ articles' uniqueness, per batch
    def _article_keys(self, article) -> None:
        for fields, condition, message in unique_keys(Article):
            value = unique_key_value(article, fields, condition)
            if value is None:
                continue
            if (fields, value) in self.article_keys:
                raise ValidationError(f"{message} ({self.article_keys[fields, value]} has it too)")
            self.article_keys[fields, value] = self.where

    def _article_batch_check(self, *, when_full: bool) -> None:
        """Before a batch of articles is written, one query per rule finds a clash with earlier batches."""
        if when_full and not any(table.full for table in self.writer.tables.values()):
            return
        for fields, _condition, message in unique_keys(Article):
            values = [value for (key, value) in self.article_keys if key == fields]
            if not values:
                continue
            (name,) = fields  # an article's uniqueness rules are single fields (slug, url)
            clash = (
                Article._base_manager.using(self.using)
                .filter(**{f"{name}__in": [value[0] for value in values]})
                .values_list(name, flat=True)
                .first()
            )
            if clash is not None:
                raise ArchiveError(self.article_keys[fields, (clash,)], f"{message} (an article earlier in the file)")
        self.article_keys = {}
        self.writer.flush()

    def _end(self, record) -> None:
        expected = record.get("counts")
        if expected != self.counts:
            _fail(f"the end line counts {expected}, but the file holds {self.counts}.")
        self.ended = True

    def finish(self) -> None:
        if not self.ended:
            raise ArchiveError("end of file", 'no end line ({"record": "end", ...}): the file was cut short.')
        self._article_batch_check(when_full=False)
        self.writer.finish()
