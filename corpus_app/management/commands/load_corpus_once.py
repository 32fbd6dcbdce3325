from django.core.management import call_command
from django.core.management.base import BaseCommand

from corpus_app.models import Article
from corpus_app.services.history import history_baseline_create


class Command(BaseCommand):
    help = (
        "Load the curated corpus fixture into a database that holds no articles yet. A database that "
        "already has articles is left alone, so restarting `make run` never reverts curators' edits."
    )

    def handle(self, *args, **options):
        existing = Article.objects.count()
        if existing:
            self.stdout.write(
                f"The database already holds {existing} article(s); the corpus fixture was not reloaded over "
                "them. To overwrite the curated rows with the fixture: .venv/bin/python manage.py loaddata corpus"
            )
            return
        call_command("loaddata", "corpus", stdout=self.stdout)
        history_baseline_create()
