from django.apps import AppConfig


class CorpusAppConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "corpus_app"
    verbose_name = "Corpus"

    def ready(self):
        # Fixture rows are saved raw, bypassing Model.save(); the receivers keep them honest.
        from corpus_app import signals  # noqa: F401
