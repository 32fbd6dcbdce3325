from django.apps import AppConfig


class CorpusAppConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "corpus_app"
    verbose_name = "Corpus"

    def ready(self):
        # Fixture rows are saved raw, bypassing Model.save(), and m2m edits bypass clean(): receivers guard both.
        from corpus_app.signals import connect_receivers

        connect_receivers(self)
