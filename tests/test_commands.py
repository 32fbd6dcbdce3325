import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from corpus_app.models import Quote

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


class TestCheckCorpus:
    def test_passes_on_the_curated_corpus(self, corpus):
        out, err = run("check_corpus")
        assert "Corpus is consistent" in out
        assert err == ""

    def test_reports_each_quote_that_left_its_article_and_fails(self, corpus):
        # A bulk update bypasses model validation, as a careless script or raw SQL would.
        quote = Quote.objects.get(text__startswith="I hope that progress")
        Quote.objects.filter(pk=quote.pk).update(text="I hope for nothing at all")
        err = io.StringIO()
        with pytest.raises(CommandError, match="problem"):
            call_command("check_corpus", stdout=io.StringIO(), stderr=err)
        report = err.getvalue()
        assert f"Quote {quote.pk} (sergei-lavrov in why-lavrov-flew-to-aliyev)" in report
        assert "does not appear in the article's body" in report
        assert "digest does not match" in report

    def test_reports_a_stale_position(self, corpus):
        quote = Quote.objects.get(text__startswith="I hope that progress")
        Quote.objects.filter(pk=quote.pk).update(position=0)
        with pytest.raises(CommandError):
            call_command("check_corpus", stdout=io.StringIO(), stderr=io.StringIO())

    def test_exits_non_zero_from_the_command_line(self, corpus):
        Quote.objects.filter(text__startswith="I hope that progress").update(text="Invented")
        with pytest.raises(SystemExit) as exit_info:
            from django.core.management import execute_from_command_line

            execute_from_command_line(["manage.py", "check_corpus"])
        assert exit_info.value.code != 0


class TestEnsureLocalSuperuser:
    def test_creates_one_superuser_and_prints_its_password_once(self):
        out, _ = run("ensure_local_superuser")
        password = out.split("password: ")[1].split()[0]
        user = get_user_model().objects.get(username="admin")
        assert user.is_superuser and user.check_password(password)

        again, _ = run("ensure_local_superuser")
        assert password not in again
        assert "existing superuser 'admin'" in again
        assert get_user_model().objects.count() == 1

    def test_two_runs_never_share_a_password(self):
        first, _ = run("ensure_local_superuser")
        get_user_model().objects.all().delete()
        second, _ = run("ensure_local_superuser")
        assert first.split("password: ")[1].split()[0] != second.split("password: ")[1].split()[0]


class TestLoadCorpusOnce:
    def test_loads_the_corpus_into_an_empty_database(self, db):
        out, _ = run("load_corpus_once")
        assert "Installed 99 object(s)" in out
        assert Quote.objects.count() == 30

    def test_gives_every_record_a_first_history_entry_to_revert_to(self, db):
        from corpus_app.models import Article, Expert, Visit

        run("load_corpus_once")
        for model in (Quote, Expert, Article, Visit):
            without_history = model.objects.exclude(pk__in=model.history.values("id"))
            assert not without_history.exists(), model

    def test_never_reverts_a_curators_edit(self, corpus):
        quote = Quote.objects.get(text__startswith="I hope that progress")
        quote.notes = "Checked against the Russian original."
        quote.save()
        out, _ = run("load_corpus_once")
        assert "not reloaded" in out
        quote.refresh_from_db()
        assert quote.notes == "Checked against the Russian original."
