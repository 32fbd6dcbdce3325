from django.apps import AppConfig


class CorpusAppConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "corpus_app"
    verbose_name = "Corpus"

    def ready(self):
        # Fixture rows are saved raw, bypassing Model.save(), and m2m edits bypass clean(): receivers guard both.
        from corpus_app import changes, counts, signals

        signals.connect_receivers(self)
        # Counts and the change stamp follow every write (counts.py, changes.py).
        counts.connect_receivers()
        changes.connect_receivers(self)
