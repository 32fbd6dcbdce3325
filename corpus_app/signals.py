"""Receivers that hold fixture rows to the same rules as everything else."""

from django.db.models.signals import pre_save


def validate_raw_fixture_row(sender, instance, raw, **kwargs):
    """`loaddata` saves raw, skipping save() and validation; check and derive here instead."""
    if raw:
        instance.validate_fixture_row()


def connect_receivers(models) -> None:
    """Connect each receiver to each corpus model by name, so other apps' saves never reach them."""
    for model in models:
        pre_save.connect(validate_raw_fixture_row, sender=model, dispatch_uid=f"validate_raw_{model._meta.label}")
