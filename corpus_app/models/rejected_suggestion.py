from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class RejectedSuggestion(models.Model):
    """A quote suggestion a curator rejected, so that ingesting the page again does not propose it again.

    Keyed by the article (its URL when known, and the digest of its cleaned body, so a page saved
    without its address is still recognised) and by the quote's digest (provenance.quote_digest: the
    same words whatever their white space or quotation marks).
    """

    article_url = models.URLField(max_length=1000, blank=True)
    body_digest = models.CharField(max_length=64)
    quote_digest = models.CharField(max_length=64)
    text = models.TextField(help_text="The rejected words, for the record.")
    rejected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    rejected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["body_digest", "quote_digest"], name="rejected_once_per_body"),
        ]
        indexes = [
            models.Index(fields=["article_url", "quote_digest"], name="rejected_by_url"),
        ]

    def __str__(self):
        return f"Rejected: “{self.text[:60]}”"

    @classmethod
    def digests_for(cls, *, urls: list[str], body_digest: str) -> set[str]:
        """The digests of the quotes rejected for this article, found by its URL (any of `urls`) or its body."""
        where = Q(body_digest=body_digest)
        if urls:
            where |= Q(article_url__in=urls)
        return set(cls.objects.filter(where).values_list("quote_digest", flat=True))
