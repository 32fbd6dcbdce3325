#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    """Run administrative tasks."""
    try:
        from django.core.management import execute_from_command_line
    except ImportError as exc:
        raise ImportError(
            "Couldn't import Django. Are you sure it's installed and "
            "available on your PYTHONPATH environment variable? Did you "
            "forget to activate a virtual environment?"
        ) from exc
    # The developer's entry point, and the only one that reads the local env file (`.env.local`, or
    # the file DJANGO_ENV_FILE names), before Django loads the settings; the environment wins over
    # it. Servers, scripts and tests see the environment only: see config/env_file.py.
    from config.env_file import env_file_load

    env_file_load()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
