from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CorpusAppConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "corpus_app"
    verbose_name = "Corpus"

    def ready(self):
        # Fixture rows are saved raw, bypassing Model.save(), and m2m edits bypass clean(): receivers guard both.
        from corpus_app import changes, counts, signals, sync
        from corpus_app.api import change_reasons

        signals.connect_receivers(self)
        # Counts and the change stamp follow every write (counts.py, changes.py).
        counts.connect_receivers()
        changes.connect_receivers(self)
        # updated_at moves with what a read embeds, so ?updated_since= finds it (sync.py).
        sync.connect_receivers()
        # History entries written by API requests name the request (api/change_reasons.py).
        change_reasons.connect_receivers()
        # SQLite's full-text tables and their triggers, made or repaired after every migrate (search/schema.py).
        post_migrate.connect(_sqlite_search_tables, sender=self, dispatch_uid="sqlite_search_tables")


def _sqlite_search_tables(sender, using="default", **kwargs):
    from django.db import connections

    from corpus_app.search.schema import sqlite_ensure

    sqlite_ensure(connections[using])
