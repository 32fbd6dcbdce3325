from django.apps import AppConfig


class CorpusHistoryConfig(AppConfig):
    """Holds the historical tables of django-simple-history, apart from the curated data.

    A separate app label keeps `dumpdata corpus_app` to the corpus itself: history rows are an
    audit trail of this database, not data to carry into another one.
    """

    name = "corpus_app.history"
    label = "corpus_history"
    verbose_name = "Corpus history"
    default_auto_field = "django.db.models.BigAutoField"
