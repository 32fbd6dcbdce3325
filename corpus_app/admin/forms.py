"""Admin forms: the stale-edit guard (a record someone else saved while you were editing it is not overwritten),
and fields edited in the words curators use (spellings one a line)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from corpus_app import provenance
from corpus_app.services.history import history_actor, version_links


def _current_version(instance):
    return type(instance)._base_manager.filter(pk=instance.pk).values_list("version", flat=True).first()


def stale_edit_message(instance, seen: int, current: int) -> str:
    last = instance.history.order_by("-history_date").first() if hasattr(instance, "history") else None
    who = ""
    if last is not None:
        user = history_actor(last)
        when = timezone.localtime(last.history_date).strftime("%Y-%m-%d %H:%M")
        who = f" ({user}, {when})"
    return (
        f"Someone else saved this record while you were editing it{who}: it is now at version {current}, "
        f"you opened version {seen}. Your changes were NOT saved, so theirs are not lost. Reload the page "
        "to see the current record, then make your change again."
    )


class VersionedModelForm(forms.ModelForm):
    """Carries the version the curator opened in a hidden field and checks it on save.

    The model's compare-and-set already refuses a stale save; this turns that into a form error the
    curator can read instead of a server error, and names who saved in between. Opened on a version
    from the record's history (the admin's revert, and restore of a deleted record), it shows the
    links that version recorded (a visit's cities, an article's visits), which saving it gives back.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.update(
                {name: pks for name, pks in version_links(self.instance).items() if name in self.fields}
            )
        field = self.fields.get("version")
        if field is None:
            return
        field.widget = forms.HiddenInput()
        field.required = False
        if self.instance.pk is not None and not self.is_bound:
            # The current version, also when the admin shows a historical version to revert to.
            self.initial["version"] = _current_version(self.instance) or self.instance.version

    def clean(self):
        cleaned = super().clean()
        if "version" not in self.fields:
            return cleaned
        seen = cleaned.get("version")
        if seen is None:
            # A form posted without the hidden field (a script, an old page): base it on the version in hand.
            cleaned["version"] = seen = self.instance.version
        if self.instance.pk is None:
            return cleaned
        current = _current_version(self.instance)
        if current is not None and seen != current:
            raise ValidationError(stale_edit_message(self.instance, seen, current), code="stale")
        return cleaned


class ArticleForm(VersionedModelForm):
    """Refuses to drop a visit the article's quotes are about, before anything is saved."""

    def clean_visits(self):
        visits = self.cleaned_data["visits"]
        provenance.article_visits_check(self.instance, [visit.pk for visit in visits])
        return visits


class SpellingsField(forms.Field):
    """A list of spellings edited as text, one a line: what a curator pastes from a page, not JSON.

    Lines are stripped, and blank lines and repeats (letter case aside, as the model compares them)
    dropped, the first kept; what remains wrong (a spelling that is the name, or too many) is the
    model's to say, under the field.
    """

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return "\n".join(str(spelling) for spelling in value)
        return value  # the text as the curator typed it, shown again with its error

    def to_python(self, value):
        if isinstance(value, (list, tuple)):
            value = "\n".join(str(spelling) for spelling in value)
        spellings = {}
        for line in (value or "").splitlines():
            if spelling := line.strip():
                spellings.setdefault(spelling.casefold(), spelling)
        return list(spellings.values())


class ExpertForm(VersionedModelForm):
    alternate_names = SpellingsField(
        required=False,
        label="Alternate names",
        help_text="Other spellings of the name met in the press, one a line.",
    )
