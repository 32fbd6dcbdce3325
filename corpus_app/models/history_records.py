from django.db import models
from simple_history.models import HistoricalRecords


class CorpusHistoricalRecords(HistoricalRecords):
    """simple-history's records, where a many-to-many changed from its other side is recorded on the
    records that hold the field.

    simple-history records the instance the m2m signal names; from the other side
    (`city.visits.add(visit)`) that is a record of the other model, so the visit's history missed the
    change and the city got a bogus entry, which fails outright once the models exclude different
    fields (their maintained counts). A `clear()` from the other side names no records and is not
    recorded; the admin and the API only change these fields from the side that holds them.
    """

    def m2m_changed(self, instance, action, attr, pk_set, reverse, model=None, **kwargs):
        if not reverse:
            return super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
        if action in ("post_add", "post_remove"):
            for record in model._base_manager.filter(pk__in=pk_set):
                super().m2m_changed(record, action, attr, pk_set, False, **kwargs)

    def get_meta_options(self, model):
        """With an index of the deletions alone, which /api/deletions/ reads in time order: among millions
        of entries of creations and edits, the few deletions since a moment are found without a scan."""
        options = super().get_meta_options(model)
        deletions = models.Index(
            fields=["history_date", "history_id"],
            condition=models.Q(history_type="-"),
            name=f"{model._meta.model_name[:14]}_hist_deleted",
        )
        options["indexes"] = (*options.get("indexes", ()), deletions)
        return options
