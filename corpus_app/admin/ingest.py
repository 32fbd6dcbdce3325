"""The admin's "Add article from page": a saved page or pasted text in, a review of its draft out.

Two steps, both plain POSTs that carry everything in their fields, so a reload or a refused field loses
nothing: reading the page (PageForm) drafts the article and its suggestions; saving the review
(ReviewedArticleForm and one SuggestionForm per suggestion) accepts, rejects or leaves each, through
ingest/review.py, which the API calls too.
"""

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from corpus_app.api.ingest import PAGE_MAX_CHARS
from corpus_app.ingest import pages, pipeline, review
from corpus_app.ingest.directory import Directory
from corpus_app.models import Article, Expert, ExpertKind, Quote, QuoteKind, Visit, limits

ACCEPT, REJECT, LATER = "accept", "reject", "later"
DIGEST = re.compile(r"[0-9a-f]{64}")


class PageForm(forms.Form):
    page = forms.FileField(
        required=False, label="Saved page", help_text="A web page saved from the browser (.html), or a text file."
    )
    text = forms.CharField(
        required=False,
        strip=False,
        label="Or its text",
        widget=forms.Textarea(attrs={"rows": 10, "cols": 100}),
        help_text="The page's text as copied from the browser, menus and all: they are left out.",
    )
    url = forms.URLField(required=False, max_length=1000, assume_scheme="https", label="Page address")

    def clean(self):
        data = super().clean()
        upload, text = data.get("page"), (data.get("text") or "")
        if bool(upload) == bool(text.strip()):
            raise forms.ValidationError("Upload the saved page or paste its text (one of the two).")
        if upload:
            if upload.size > PAGE_MAX_CHARS:
                raise forms.ValidationError(f"The page is larger than {PAGE_MAX_CHARS:,} bytes.")
            content = pages.decode(upload.read())
            named_html = upload.name.lower().endswith((".html", ".htm"))
            data["content"], data["html"] = content, named_html or pipeline.is_html(content)
        else:
            if len(text) > PAGE_MAX_CHARS:
                raise forms.ValidationError(f"The text is longer than {PAGE_MAX_CHARS:,} characters.")
            data["content"], data["html"] = text, False
        return data


class ReviewedArticleForm(forms.ModelForm):
    """The draft article's fields for the curator to correct; a new outlet by name when none matched."""

    url = forms.URLField(required=False, max_length=1000, assume_scheme="https", label="Source URL")
    new_outlet = forms.CharField(
        required=False,
        max_length=200,
        label="Or a new outlet",
        help_text="Created with the article if no outlet is chosen.",
    )

    class Meta:
        model = Article
        fields = (
            "title", "subtitle", "outlet", "new_outlet", "author", "credit", "published_date",
            "published_date_precision", "published_time", "url", "language", "section", "view_count", "visits",
            "body", "notes",
        )  # fmt: skip
        widgets = {
            "body": forms.Textarea(attrs={"rows": 14, "cols": 100}),
            "notes": forms.Textarea(attrs={"rows": 3, "cols": 100}),
            "title": forms.TextInput(attrs={"size": 100}),
            "subtitle": forms.TextInput(attrs={"size": 100}),
            "url": forms.URLInput(attrs={"size": 100}),
            "outlet": AutocompleteSelect(Article._meta.get_field("outlet"), admin.site),
            "visits": AutocompleteSelectMultiple(Article._meta.get_field("visits"), admin.site),
        }

    def as_new_article(self) -> review.NewArticle:
        data = dict(self.cleaned_data)
        outlet, new_outlet, visits = data.pop("outlet"), data.pop("new_outlet"), list(data.pop("visits"))
        if outlet is None and new_outlet.strip():
            outlet = review.ProposedOutlet(new_outlet.strip())
        return review.NewArticle(fields=data, outlet=outlet, visits=visits)

    def _post_clean(self):
        """The review saves through the models' rules (review.accept) and reports them per field: not here."""


class SuggestionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[(ACCEPT, "Accept"), (REJECT, "Reject"), (LATER, "Decide later")], widget=forms.RadioSelect
    )
    text = forms.CharField(
        max_length=limits.QUOTE_TEXT, strip=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 90})
    )
    speaker = forms.ModelChoiceField(
        Expert.objects.all(), required=False, widget=AutocompleteSelect(Quote._meta.get_field("speaker"), admin.site)
    )
    new_speaker_name = forms.CharField(required=False, max_length=200, label="or a new expert")
    new_speaker_role = forms.CharField(required=False, max_length=300, label="role")
    new_speaker_affiliation = forms.CharField(required=False, max_length=300, label="affiliation")
    new_speaker_kind = forms.ChoiceField(choices=ExpertKind.choices, initial=ExpertKind.OTHER, label="kind")
    relayed_by = forms.ModelChoiceField(
        Expert.objects.all(), required=False, widget=AutocompleteSelect(Quote._meta.get_field("relayed_by"), admin.site)
    )
    new_relayed_by_name = forms.CharField(required=False, max_length=200, label="or relayed by a new expert")
    visit = forms.ModelChoiceField(
        Visit.objects.all(), required=False, widget=AutocompleteSelect(Quote._meta.get_field("visit"), admin.site)
    )
    kind = forms.ChoiceField(choices=QuoteKind.choices, initial=QuoteKind.DIRECT)
    # What the pipeline proposed, carried for the page and for remembering a rejection by its words.
    proposed_text = forms.CharField(widget=forms.HiddenInput, strip=False)
    context = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)
    confidence = forms.FloatField(widget=forms.HiddenInput, required=False)
    attributed_by = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == ACCEPT:
            named = bool(data.get("speaker")), bool((data.get("new_speaker_name") or "").strip())
            if named != (True, False) and named != (False, True):
                self.add_error("speaker", "Choose the speaker, or name a new expert (one of the two).")
        return data

    def as_accepted(self) -> review.AcceptedQuote:
        data = self.cleaned_data
        speaker = data["speaker"] or review.ProposedExpert(
            data["new_speaker_name"].strip(),
            data["new_speaker_role"],
            data["new_speaker_affiliation"],
            data["new_speaker_kind"],
        )
        relayed_by = data["relayed_by"] or (
            review.ProposedExpert(data["new_relayed_by_name"].strip()) if data["new_relayed_by_name"].strip() else None
        )
        return review.AcceptedQuote(data["text"], speaker, relayed_by, data["visit"], data["kind"])


SuggestionFormSet = forms.formset_factory(SuggestionForm, extra=0, max_num=500, absolute_max=500, validate_max=True)


def initial_suggestion(suggestion: pipeline.Suggestion) -> dict:
    person, relay = suggestion.speaker, suggestion.relayed_by
    proposed = suggestion.speaker_as_dict(person) or {}
    return {
        "decision": ACCEPT if person is not None and suggestion.confidence >= 0.5 else LATER,
        "text": suggestion.text,
        "proposed_text": suggestion.text,
        "speaker": person.known.pk if person and person.known else None,
        "new_speaker_name": proposed.get("name", "") if proposed.get("new") else "",
        "new_speaker_role": proposed.get("role", ""),
        "new_speaker_affiliation": proposed.get("affiliation", ""),
        "new_speaker_kind": proposed.get("kind", ExpertKind.OTHER),
        "relayed_by": relay.known.pk if relay and relay.known else None,
        "new_relayed_by_name": relay.name if relay and not relay.known else "",
        "visit": suggestion.visit.pk if suggestion.visit else None,
        "context": suggestion.context,
        "confidence": suggestion.confidence,
        "attributed_by": suggestion.how,
    }


def initial_article(draft: pipeline.Draft) -> dict:
    meta = draft.meta
    removed = "; ".join(line[:80] for line in draft.removed[:20])
    return {
        **{name: getattr(meta, name) for name in ("title", "subtitle", "author", "credit", "url", "section")},
        "view_count": meta.view_count,
        "published_date": meta.published_date,
        "published_date_precision": meta.published_date_precision,
        "published_time": meta.published_time,
        "language": meta.language or "en",
        "outlet": draft.outlet.pk if draft.outlet else None,
        "new_outlet": draft.proposed_outlet if draft.outlet is None else "",
        "visits": sorted({s.visit.pk for s in draft.suggestions if s.visit}),
        "body": draft.body,
        "notes": f"Extracted from the page by ingest. Left out as page chrome: {removed}." if removed else "",
    }


def ingest_view(model_admin, request):
    """Step one reads the page; step two saves the curator's review (or shows what it refused)."""
    if not request.user.has_perms(review.INGEST_PERMISSIONS):
        raise PermissionDenied
    step = request.POST.get("step") if request.method == "POST" else None
    if step == "save":
        return _save_review(model_admin, request)
    page_form = PageForm(request.POST or None, request.FILES or None)
    if step == "read" and page_form.is_valid():
        data = page_form.cleaned_data
        directory = Directory.from_database()
        draft = pipeline.from_content(data["content"], url=data["url"], directory=directory, html=data["html"])
        if draft.problem:
            page_form.add_error(None, draft.problem)
        else:
            screened = review.screen(draft)
            existing = screened.existing_article
            article_form = None if existing else ReviewedArticleForm(initial=initial_article(draft), prefix="article")
            formset = SuggestionFormSet(initial=[initial_suggestion(s) for s in draft.suggestions], prefix="quote")
            return _render(model_admin, request, article_form=article_form, formset=formset, screened=screened,
                           existing=existing, url=draft.meta.url, body_digest=draft.body_digest)  # fmt: skip
    return _render(model_admin, request, page_form=page_form)


def _save_review(model_admin, request):
    existing = None
    if request.POST.get("existing_article"):
        existing = Article.objects.filter(pk=request.POST["existing_article"]).first()
        if existing is None:
            messages.error(request, "The article this page was matched to was deleted meanwhile. Read the page again.")
            return HttpResponseRedirect(reverse("admin:corpus_app_article_ingest"))
    article_form = None if existing else ReviewedArticleForm(request.POST, prefix="article")
    formset = SuggestionFormSet(request.POST, prefix="quote")
    url, digest = request.POST.get("url", ""), request.POST.get("body_digest", "")
    digest = digest if DIGEST.fullmatch(digest) else ""  # a hidden field: sent back as the page gave it, or not at all
    context = {"article_form": article_form, "formset": formset, "existing": existing}
    context |= {"url": url, "body_digest": digest}
    if not formset.is_valid() or (article_form is not None and not article_form.is_valid()):
        return _render(model_admin, request, **context)
    accepted = [form for form in formset if form.cleaned_data["decision"] == ACCEPT]
    rejected = [form.cleaned_data["proposed_text"] for form in formset if form.cleaned_data["decision"] == REJECT]
    try:
        saved = review.accept(
            user=request.user,
            article=existing or article_form.as_new_article(),
            quotes=[form.as_accepted() for form in accepted],
        )
    except review.ReviewRefused as refused:
        _show_refusals(refused.errors, article_form, accepted)
        return _render(model_admin, request, **context)
    except (review.ReviewConflict, PermissionDenied) as problem:
        messages.error(request, str(problem))
        return _render(model_admin, request, **context)
    if rejected:
        # By the page's body as it was read (the draft's digest), not as the curator corrected it: that is
        # what reading the page again finds.
        review.reject(
            user=request.user, url=url or saved.article.url, digest=digest, body=saved.article.body, texts=rejected
        )
    messages.success(
        request,
        f"Saved “{saved.article}” with {len(saved.quotes)} quote(s)"
        + (f" and {len(saved.experts_created)} new expert(s)" if saved.experts_created else "")
        + (f"; {len(rejected)} rejected suggestion(s) will not be proposed again." if rejected else "."),
    )
    return HttpResponseRedirect(reverse("admin:corpus_app_article_change", args=[saved.article.pk]))


def _show_refusals(errors: dict, article_form, accepted_forms) -> None:
    """The review's refusals under the fields they name; any other on the form, naming its field."""
    targets = [(article_form, errors.get("article", {}))] if article_form is not None else []
    targets += [(accepted_forms[int(index)], fields) for index, fields in errors.get("quotes", {}).items()]
    for form, fields in targets:
        for field, problems in fields.items():
            target = field if field in form.fields else None
            for problem in problems:
                form.add_error(target, problem if target or field == NON_FIELD_ERRORS else f"{field}: {problem}")


def _render(model_admin, request, **context):
    forms_media = model_admin.media
    for form in (context.get("article_form"), context.get("formset")):
        if form is not None:
            forms_media += form.media
    return TemplateResponse(
        request,
        "admin/corpus_app/article/ingest.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": "Add article from page",
            "opts": Article._meta,
            "media": forms_media,
            **context,
        },
    )
