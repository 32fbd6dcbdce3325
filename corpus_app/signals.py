"""Receivers that hold every way in (fixtures, admin, API, import, the shell) to the same rules."""

from django.core.exceptions import ValidationError
from django.db.models.signals import m2m_changed, pre_delete, pre_save

from corpus_app import provenance
from corpus_app.models.links import listing_fields, still_listed_error


def validate_raw_fixture_row(sender, instance, raw, **kwargs):
    """`loaddata` saves raw, skipping save() and validation; check and derive here instead."""
    if raw:
        instance.validate_fixture_row()


def refuse_uncovering_quoted_visits(sender, instance, action, reverse, model, pk_set, **kwargs):
    """An article keeps every visit its quotes are about: removing one would leave those quotes about a
    visit their article no longer covers. Forms and serializers check first, to say so per field."""
    if action not in ("pre_remove", "pre_clear"):
        return
    if reverse:  # visit.articles.remove(...): the articles losing this visit
        articles = model.objects.filter(pk__in=pk_set) if action == "pre_remove" else instance.articles.all()
        stranded = [q for article in articles for q in article.quotes.filter(visit=instance).select_related("visit")]
    else:
        remaining = set(instance.visits.values_list("pk", flat=True)) - (pk_set or set())
        stranded = provenance.quotes_stranded_by_visits(instance, remaining if action == "pre_remove" else ())
    if stranded:
        raise ValidationError({"visits": provenance.stranded_visits_message(stranded)})


def refuse_deleting_a_listed_record(sender, instance, **kwargs):
    """A city its visits list, a visit its articles list, is not deleted (models/links.py says why), whichever
    way in: the admin, whose delete page says so first, the API (409), the shell, a queryset's delete.

    Django sends pre_delete inside the delete's transaction, after its foreign keys' PROTECT: nothing is
    deleted, and a caller that catches the error inside an atomic block of its own must roll that back.
    """
    if (error := still_listed_error(sender, instance.pk)) is not None:
        raise error


def connect_receivers(app_config) -> None:
    """Connect each receiver to the models it guards, by sender, so other apps' saves never reach them."""
    from corpus_app.models import Article, CorpusModel

    for model in app_config.get_models():
        if issubclass(model, CorpusModel):
            pre_save.connect(validate_raw_fixture_row, sender=model, dispatch_uid=f"validate_raw_{model._meta.label}")
        if listing_fields(model):
            # Connected before the receivers of counts.py and sync.py, so a refused delete has written nothing.
            pre_delete.connect(
                refuse_deleting_a_listed_record, sender=model, dispatch_uid=f"refuse_listed_{model._meta.label}"
            )
    m2m_changed.connect(
        refuse_uncovering_quoted_visits, sender=Article.visits.through, dispatch_uid="article_keeps_quoted_visits"
    )
