from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from corpus_app.search.folding import fold

from .base import CorpusModel

SYNONYM_SPELLINGS = 12
SYNONYM_SPELLING_LENGTH = 100
SYNONYM_SPELLING_WORDS = 4


class SearchSynonymQuerySet(models.QuerySet):
    def for_listing(self):
        return self.all()

    def get_by_natural_key(self, first_spelling):
        # A group has two spellings or more, one a line: its first is followed by a line break.
        return self.get(spellings__startswith=f"{first_spelling}\n")


class SearchSynonym(CorpusModel):
    """Spellings a search treats as one word: Karabakh and Garabagh, Zangezur and Zangazur.

    Folding (search/folding.py) already joins spellings that differ by a letter's romanisation
    (Qarabağ, Garabagh); this table holds the differences no general rule should make, curated by
    hand. A search for any spelling of a group finds every spelling of it.
    """

    spellings = models.TextField(
        help_text=f"One spelling a line, at least two, at most {SYNONYM_SPELLINGS}; each of at most "
        f"{SYNONYM_SPELLING_WORDS} words. A spelling belongs to one group only."
    )
    note = models.TextField(blank=True, help_text="Where the spellings were met, and why they are one.")
    folded = models.JSONField(default=list, editable=False, help_text="The spellings folded as search folds them.")

    objects = SearchSynonymQuerySet.as_manager()
    history = HistoricalRecords(app="corpus_history", excluded_fields=["folded"])
    curated_fields = ("spellings", "note")

    class Meta:
        ordering = ["spellings"]
        verbose_name = "search synonym group"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(spellings=""),
                name="corpus_app_searchsynonym_spellings_not_blank",
                violation_error_message="A synonym group needs its spellings.",
            ),
        ]

    def __str__(self):
        return ", ".join(self.spelling_list)

    def natural_key(self):
        return (self.spelling_list[0] if self.spelling_list else "",)

    @property
    def spelling_list(self) -> list[str]:
        return [line.strip() for line in self.spellings.splitlines() if line.strip()]

    def derive_fields(self):
        self.spellings = "\n".join(self.spelling_list)
        self.folded = sorted({fold(spelling) for spelling in self.spelling_list} - {""})

    def clean(self):
        self.derive_fields()
        spellings = self.spelling_list
        if len(spellings) < 2 or len(spellings) > SYNONYM_SPELLINGS:
            raise ValidationError({"spellings": f"Give between 2 and {SYNONYM_SPELLINGS} spellings, one a line."})
        for spelling in spellings:
            words = fold(spelling).split()
            if not words or len(spelling) > SYNONYM_SPELLING_LENGTH or len(words) > SYNONYM_SPELLING_WORDS:
                raise ValidationError(
                    {
                        "spellings": f"“{spelling}”: a spelling is 1 to {SYNONYM_SPELLING_WORDS} words of letters or "
                        f"digits, at most {SYNONYM_SPELLING_LENGTH} characters."
                    }
                )
        if len(self.folded) < 2:
            raise ValidationError(
                {"spellings": "These spellings already fold to one; search finds them all without a group."}
            )
        taken = {
            folded: group
            for group in SearchSynonym.objects.exclude(pk=self.pk)
            for folded in group.folded
            if folded in self.folded
        }
        if taken:
            folded, group = next(iter(taken.items()))
            raise ValidationError({"spellings": f"“{folded}” is already in the group “{group}”."})
