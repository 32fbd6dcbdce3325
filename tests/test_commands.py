import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from corpus_app.models import Quote
from tests.factories import QuoteFactory, VisitFactory

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


class TestCheckCorpus:
    def test_passes_when_every_quote_is_in_its_article(self, sample_corpus):
        """check_corpus says the corpus is consistent when every quote is where its article says."""
        out, err = run("check_corpus")
        assert "Corpus is consistent" in out
        assert err == ""

    def test_reports_each_quote_that_left_its_article_and_fails(self):
        """A quote whose text is no longer in its article is reported by id, speaker and article, and fails."""
        quote = QuoteFactory(speaker__slug="sergei-lavrov", article__slug="why-lavrov-flew-to-aliyev")
        intact = QuoteFactory(article=quote.article, text="The minister arrived.")
        # A bulk update bypasses model validation, as a careless script or raw SQL would.
        Quote.objects.filter(pk=quote.pk).update(text="I hope for nothing at all")
        err = io.StringIO()
        with pytest.raises(CommandError, match="2 problem"):
            call_command("check_corpus", stdout=io.StringIO(), stderr=err)
        report = err.getvalue()
        assert f"Quote {quote.pk} (sergei-lavrov in why-lavrov-flew-to-aliyev)" in report
        assert "does not appear in the article's body" in report
        assert "digest does not match" in report
        assert f"Quote {intact.pk} " not in report

    def test_reports_a_stale_position(self):
        """A quote whose stored position is not where its text is in the article is reported."""
        quote = QuoteFactory(text="We expect progress,")
        Quote.objects.filter(pk=quote.pk).update(position=0)
        err = io.StringIO()
        with pytest.raises(CommandError, match="1 problem"):
            call_command("check_corpus", stdout=io.StringIO(), stderr=err)
        assert f"stored position 0 should be {quote.position}." in err.getvalue()

    def test_reports_a_visit_the_article_does_not_cover(self):
        """A quote tied to a visit its article does not cover is reported."""
        quote = QuoteFactory(article__visits=[VisitFactory()])
        other = VisitFactory()
        Quote.objects.filter(pk=quote.pk).update(visit=other)
        err = io.StringIO()
        # The write around the models left both visits' quote counts behind as well.
        with pytest.raises(CommandError, match="3 problem"):
            call_command("check_corpus", stdout=io.StringIO(), stderr=err)
        assert f"its visit {other.pk} is not among the article's visits." in err.getvalue()
        assert f"visit.quote_count of {other.slug} is 0, but 1 rows are counted" in err.getvalue()

    def test_exits_non_zero_from_the_command_line(self):
        """From the command line, a problem makes check_corpus exit non-zero."""
        quote = QuoteFactory()
        Quote.objects.filter(pk=quote.pk).update(text="Invented")
        with pytest.raises(SystemExit) as exit_info:
            from django.core.management import execute_from_command_line

            execute_from_command_line(["manage.py", "check_corpus"])
        assert exit_info.value.code != 0


class TestEnsureLocalSuperuser:
    def test_creates_one_superuser_and_prints_its_password_once(self):
        """The first run creates a superuser and prints its random password; later runs never print it again."""
        out, _ = run("ensure_local_superuser")
        password = out.split("password: ")[1].split()[0]
        user = get_user_model().objects.get(username="admin")
        assert user.is_superuser and user.check_password(password)

        again, _ = run("ensure_local_superuser")
        assert password not in again
        assert "existing superuser 'admin'" in again
        assert get_user_model().objects.count() == 1

    def test_two_runs_never_share_a_password(self):
        """Each created superuser gets a fresh random password."""
        first, _ = run("ensure_local_superuser")
        get_user_model().objects.all().delete()
        second, _ = run("ensure_local_superuser")
        assert first.split("password: ")[1].split()[0] != second.split("password: ")[1].split()[0]


class TestLoadCorpusOnce:
    def test_loads_the_consistent_corpus_into_an_empty_database_with_a_history_baseline(self, db):
        """As `make run` does: the whole curated corpus loads, every record gets a first history entry, and
        check_corpus finds the shipped corpus consistent."""
        from corpus_app.models import Article, Expert, Visit

        out, _ = run("load_corpus_once")
        assert "Installed 101 object(s)" in out
        assert Quote.objects.count() == 30
        for model in (Quote, Expert, Article, Visit):
            without_history = model.objects.exclude(pk__in=model.history.values("id"))
            assert not without_history.exists(), model
        out, err = run("check_corpus")
        assert "Corpus is consistent" in out
        assert err == ""

    def test_never_reverts_a_curators_edit(self):
        """A database that already has articles is left alone: nothing is loaded over curators' edits."""
        quote = QuoteFactory()
        quote.notes = "Checked against the Russian original."
        quote.save()
        out, _ = run("load_corpus_once")
        assert "already holds 1 article(s)" in out and "not reloaded" in out
        quote.refresh_from_db()
        assert quote.notes == "Checked against the Russian original."
        assert Quote.objects.count() == 1
