from django.db import models
from django.utils import timezone


class CorpusChangeStamp(models.Model):
    """A single row: how many committed changes the corpus has seen, and when the latest was.

    The API's validators (ETag, Last-Modified) come from it, so a conditional GET is answered with one
    indexed read before any list is built (corpus_app/changes.py says why one stamp for everything).
    """

    generation = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "corpus change stamp"

    def __str__(self):
        return f"change {self.generation} at {self.changed_at:%Y-%m-%d %H:%M:%S}"
