"""Races played deterministically: another database connection acts at a chosen moment of a request.

The other connection runs in a thread (Django gives each thread its own connection) in autocommit, so
what it does is committed, and visible to the request, before the request goes on. Tests using these
need rows the other connection can see: `transactional_db`.
"""

import threading

from django.db import connection


def in_another_connection(action, wait: float | None = 10) -> threading.Thread:
    """Run `action` in a thread, on a database connection of its own (autocommit), and wait for it up to `wait` s."""
    errors = []

    def run():
        try:
            action()
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.errors = errors
    thread.start()
    thread.join(wait)
    return thread


def after_validation(monkeypatch, serializer_class, action, wait: float | None = 10):
    """Make `action` happen in another connection once `serializer_class` has validated a request."""
    validate = serializer_class.validate
    threads = []

    def validate_then_act(self, attrs):
        attrs = validate(self, attrs)
        threads.append(in_another_connection(action, wait))
        return attrs

    monkeypatch.setattr(serializer_class, "validate", validate_then_act)
    return threads
