from django.core.management.base import BaseCommand

from corpus_app.services.accounts import local_superuser_ensure


class Command(BaseCommand):
    help = "Create a superuser with a random password if none exists, and say how to log in."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        username, password = local_superuser_ensure(username=username)
        if password is None:
            self.stdout.write(
                f"Log in to the admin as your existing superuser '{username}'. Forgot the password? "
                f"Run: .venv/bin/python manage.py changepassword {username}"
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Created superuser '{username}' with password: {password}\n"
                "It is shown only this once; change it with: .venv/bin/python manage.py changepassword "
                f"{username}"
            )
        )
