from django.apps import AppConfig


class CorpusAppConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "corpus_app"
    verbose_name = "Corpus"

    def ready(self):
        # Fixture rows are saved raw, bypassing Model.save(); the receivers keep them honest.
        from corpus_app.models import CorpusModel
        from corpus_app.signals import connect_receivers

        connect_receivers(model for model in self.get_models() if issubclass(model, CorpusModel))
