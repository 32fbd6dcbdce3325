"""Password guessing on the admin login is locked out (django-axes), per username and address."""

import datetime
import sys

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import ExpertFactory
from tests.test_settings import run

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
PASSWORD = "the-right-password-1"
ATTACKER = "203.0.113.9"


def curator(username):
    user = get_user_model().objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Curator"))
    return user


def log_in(username, password, address=ATTACKER, client=None):
    """Post the admin login form from `address`; the response (302 to the index when it succeeded)."""
    client = client or Client()
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address)


def guess(username, times, address=ATTACKER):
    return [log_in(username, f"guess-{n}", address).status_code for n in range(times)]


@pytest.fixture
def ana(db):
    return curator("ana")


def test_five_wrong_passwords_lock_the_username_out_even_with_the_right_one(ana, settings):
    """After 5 wrong passwords the right one is refused with the lockout page, and no session is opened."""
    assert settings.AXES_FAILURE_LIMIT == 5
    assert guess("ana", 4) == [200] * 4  # the login form again, with its error
    assert guess("ana", 1) == [429]

    client = Client()
    response = log_in("ana", PASSWORD, client=client)
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    page = response.content.decode()
    assert "Too many failed logins: after 5 wrong passwords, this username cannot log in" in page
    assert "for 60 minutes after the last attempt" in page
    assert client.get(reverse("admin:index")).status_code == 302  # still sent to the login page


def test_a_lockout_spares_other_users_and_the_same_user_elsewhere(ana):
    """A locked-out username does not stop another user from that address, nor that user from another address."""
    curator("bea")
    guess("ana", 5)
    assert log_in("ana", PASSWORD).status_code == 429
    assert log_in("bea", PASSWORD).status_code == 302
    assert log_in("ana", PASSWORD, address="198.51.100.7").status_code == 302


def test_thirty_guesses_never_reach_the_password_check(ana):
    """Thirty wrong passwords then the right one: the lockout holds throughout."""
    statuses = guess("ana", 30)
    assert statuses.count(200) == 4 and statuses[4:] == [429] * 26
    assert log_in("ana", PASSWORD).status_code == 429


def test_a_successful_login_clears_earlier_failures(ana):
    """Typos before a successful login do not count towards a later lockout."""
    guess("ana", 4)
    assert log_in("ana", PASSWORD).status_code == 302
    assert guess("ana", 4) == [200] * 4
    assert log_in("ana", PASSWORD).status_code == 302


def test_a_lockout_ends_after_the_cool_off_or_when_an_administrator_lifts_it(ana):
    """The lockout lifts an hour after the last failure, or at once with `manage.py axes_reset_username`."""
    guess("ana", 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=61))
    assert log_in("ana", PASSWORD).status_code == 302

    guess("ana", 5)
    assert log_in("ana", PASSWORD).status_code == 429
    call_command("axes_reset_username", "ana", stdout=sys.stderr)
    assert log_in("ana", PASSWORD).status_code == 302


def test_api_tokens_work_while_the_password_is_locked_out(ana):
    """A token is not a password: the API accepts a locked-out user's token, and anonymous reads go on."""
    guess("ana", 5)
    expert = ExpertFactory(role="analyst")
    client = APIClient(REMOTE_ADDR=ATTACKER)
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=ana).key}")
    response = client.patch(reverse("expert-detail", args=[expert.pk]), {"role": "historian"}, format="json")
    assert response.status_code == 200, response.content
    assert APIClient(REMOTE_ADDR=ATTACKER).get(reverse("expert-list")).status_code == 200


def test_the_test_clients_login_works_when_given_a_request(ana):
    """django-axes needs the request of a password login: tests pass one to Client.login (or use force_login)."""
    request = HttpRequest()
    request.META["REMOTE_ADDR"] = "127.0.0.1"
    client = Client()
    assert client.login(request=request, username="ana", password=PASSWORD)
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_limit_and_the_lockout_time_come_from_the_environment():
    """LOGIN_FAILURE_LIMIT and LOGIN_LOCKOUT_MINUTES set the number of failures and the wait."""
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME)"
    )
    result = run([sys.executable, "-c", code], DJANGO_DEBUG="1", LOGIN_FAILURE_LIMIT="3", LOGIN_LOCKOUT_MINUTES="15")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["3", "0:15:00"]


def test_the_browsable_apis_login_is_locked_out_alike(ana):
    """Guessing passwords at the browsable API's login locks the username out there, and in the admin, alike."""
    api_login = reverse("rest_framework:login")

    def attempt(password):
        return Client().post(api_login, {"username": "ana", "password": password}, REMOTE_ADDR=ATTACKER).status_code

    assert [attempt(f"guess-{n}") for n in range(5)] == [200] * 4 + [429]
    assert attempt(PASSWORD) == 429
    assert log_in("ana", PASSWORD).status_code == 429
