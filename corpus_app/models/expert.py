from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django_countries.fields import CountryField

from .base import CorpusModel, MaintainedCount, SlugKeyedQuerySet, valid_choice_constraint
from .history_records import CorpusHistoricalRecords
from .limits import ALTERNATE_NAMES, NOTES, SPELLING, bounded_text
from .search_text import SEARCH_TEXT_FIELDS, Searchable, searchable_manager
from .sorting import SortKey, keyset_index

SORT_KEYS = {
    "name": (SortKey("name"),),
    "quote_count": (SortKey("quote_count"),),
    "article_count": (SortKey("article_count"),),
    "created_at": (SortKey("created_at"),),
    "updated_at": (SortKey("updated_at"),),
}


class ExpertKind(models.TextChoices):
    ANALYST = "analyst", "analyst"
    LEGISLATOR = "legislator", "legislator"
    OFFICIAL = "official", "official"
    JOURNALIST = "journalist", "journalist"
    OTHER = "other", "other"


class ExpertQuerySet(SlugKeyedQuerySet):
    def spelled(self, spelling: str):
        """Experts whose name or any alternate spelling contains `spelling`, case-insensitively."""
        return self.filter(search_names__icontains=spelling)

    def for_listing(self):
        """Experts as lists show them: their counts are columns (counts.py), so nothing to join."""
        return self.all()


class Expert(Searchable, CorpusModel):
    """A person the corpus names: everyone quoted, and the visitors and hosts of visits.

    The press transliterates names differently (Shahinoglu, Shainoglu): one person is one Expert
    under one canonical `name`, with every other spelling met in the press in `alternate_names`.
    """

    name = models.CharField(max_length=200, help_text="Canonical spelling.")
    slug = models.SlugField(max_length=200, unique=True)
    alternate_names = models.JSONField(
        default=list,
        blank=True,
        help_text="Other spellings of the name met in the press, as a list of strings.",
    )
    kind = models.CharField(max_length=16, choices=ExpertKind.choices)
    role = models.CharField(max_length=300, blank=True, help_text="Title or position, as the press gives it.")
    affiliation = models.CharField(max_length=300, blank=True)
    country = CountryField(blank=True)
    search_names = models.TextField(
        editable=False,
        blank=True,
        help_text="Every spelling, one a line: a plain text column that any database searches alike "
        "(SQLite stores JSON with non-ASCII letters escaped, so 'Şoyqu' could not be found in alternate_names).",
    )
    notes = bounded_text(
        NOTES, blank=True, help_text="Sources of the facts above, and any inference with its reasoning."
    )
    quote_count = MaintainedCount()
    article_count = MaintainedCount(help_text="Articles quoting this expert.")

    objects = searchable_manager(ExpertQuerySet)
    history = CorpusHistoricalRecords(
        app="corpus_history", excluded_fields=["quote_count", "article_count", *SEARCH_TEXT_FIELDS]
    )
    curated_fields = ("slug", "name", "alternate_names", "kind", "role", "affiliation", "country", "notes")
    sort_keys = SORT_KEYS
    default_sort = "name"

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name=""),
                name="corpus_app_expert_name_not_blank",
                violation_error_message="An expert needs a name.",
            ),
            valid_choice_constraint("kind", ExpertKind),
        ]
        # One per ordering (the counts' come with their maintained columns) and the filters by name.
        # ?affiliation= (contains) and search need a trigram index no B-tree can replace.
        indexes = [
            models.Index(fields=["quote_count", "id"], name="corpus_expert_by_quotes"),
            models.Index(fields=["article_count", "id"], name="corpus_expert_by_articles"),
            keyset_index("expert_by_name", *SORT_KEYS["name"]),
            keyset_index("expert_by_created", *SORT_KEYS["created_at"]),
            keyset_index("expert_by_updated", *SORT_KEYS["updated_at"]),
            keyset_index("expert_kind_by_name", "kind", *SORT_KEYS["name"]),
            keyset_index("expert_country_by_name", "country", *SORT_KEYS["name"]),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    def derive_fields(self):
        if isinstance(self.alternate_names, list):
            self.search_names = "\n".join(str(name) for name in self.spellings)
            self.derive_search_text()

    def search_sources(self):
        return self.search_names, f"{self.role}\n{self.affiliation}"

    @property
    def spellings(self) -> list[str]:
        return [self.name, *self.alternate_names]

    def clean(self):
        problem = spellings_problem(self.name, self.alternate_names)
        if problem:
            raise ValidationError({"alternate_names": problem})
        clash = Expert.objects.exclude(pk=self.pk).filter(name__in=self.spellings).first()
        if clash is not None:
            raise ValidationError({"alternate_names": name_taken_message(clash.name, clash.slug)})


def spellings_problem(name: str, alternate_names) -> str | None:
    """What is wrong with one expert's spellings on their own, or None; bulk import checks rows with it
    before any is saved, and checks names against other experts itself (name_taken_message)."""
    if not isinstance(alternate_names, list) or not all(isinstance(n, str) and n.strip() for n in alternate_names):
        return "Give a list of non-empty spellings."
    if len(alternate_names) > ALTERNATE_NAMES or any(len(n) > SPELLING for n in alternate_names):
        return f"At most {ALTERNATE_NAMES} spellings of at most {SPELLING} characters each."
    spellings = [name, *alternate_names]
    if len({n.casefold() for n in spellings}) != len(spellings):
        return "A spelling is repeated, or repeats the name."
    return None


def name_taken_message(name: str, slug: str) -> str:
    return f"'{name}' is already the name of another expert ({slug})."
