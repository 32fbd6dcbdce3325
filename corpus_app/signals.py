"""Receivers that hold fixture rows to the same rules as everything else."""

from django.db.models.signals import pre_save
from django.dispatch import receiver

from corpus_app.models import CorpusModel


@receiver(pre_save)
def validate_raw_fixture_row(sender, instance, raw, **kwargs):
    """`loaddata` saves raw, skipping save() and validation; check and derive here instead."""
    if raw and isinstance(instance, CorpusModel):
        instance.validate_fixture_row()
