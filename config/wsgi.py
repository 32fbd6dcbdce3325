"""
WSGI config for config project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# A server serves production: it reads the environment only, never the developer's `.env.local`
# (set DJANGO_ENV_FILE to a path to give it a file). runserver loads settings before this module.
os.environ.setdefault("DJANGO_ENV_FILE", "")

application = get_wsgi_application()
