from django.core.management.base import BaseCommand, CommandError

from corpus_app.models import Article
from corpus_app.provenance import corpus_audit


class Command(BaseCommand):
    help = "Check every quote against its article (provenance, position, visit); exit 1 if any fails."

    def handle(self, *args, **options):
        problems = corpus_audit(Article.objects.all())
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(f"{len(problems)} problem(s) found.")
        self.stdout.write(self.style.SUCCESS("Corpus is consistent: every quote is in its article."))
