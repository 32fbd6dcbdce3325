"""Local log-in for `make run`: a first superuser with a one-time random password, never a fixed one."""

import secrets

from django.contrib.auth import get_user_model


def local_superuser_ensure(*, username: str = "admin") -> tuple[str, str | None]:
    """Create `username` as a superuser with a random password if the database has no superuser.

    Returns (username, password); password is None when a superuser already existed, since an
    existing account's password is never reset behind its owner's back.
    """
    User = get_user_model()
    existing = User.objects.filter(is_superuser=True).order_by("pk").first()
    if existing is not None:
        return existing.get_username(), None
    password = secrets.token_urlsafe(12)
    User.objects.create_superuser(username=username, email="", password=password)
    return username, password
