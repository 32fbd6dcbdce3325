"""What Django's error pages and error reports hide: Django's list, plus database and service URLs.

Django's SafeExceptionReporterFilter hides settings and request.META entries whose names contain
API, AUTH, TOKEN, KEY, SECRET, PASS, SIGNATURE or HTTP_COOKIE. DATABASE_URL is none of those, and
`manage.py runserver` (which `make run` starts with debug on) copies the whole environment into
request.META: the debug page of any 500 printed the database password. This filter also hides
DATABASE_URL and every name containing DSN, whatever their value, and any value, under any name,
shaped like a URL with a password (REDIS_URL, CACHE_URL, a cache's LOCATION).
"""

import re

from django.views.debug import SafeExceptionReporterFilter

# scheme://user:password@ or scheme://:password@ (Redis): a password in a URL's user information.
URL_WITH_PASSWORD = re.compile(r"[a-z][a-z0-9+.-]*://[^/?#@\s]*:[^/?#@\s]*@", re.IGNORECASE)


class CredentialsHidingFilter(SafeExceptionReporterFilter):
    hidden_settings = re.compile(
        SafeExceptionReporterFilter.hidden_settings.pattern + "|DSN|DATABASE_URL", flags=re.IGNORECASE
    )

    def cleanse_setting(self, key, value):
        cleansed = super().cleanse_setting(key, value)
        # str(...): some settings hold lazy strings (django-csp's NONCE) that pass as str but that re cannot read.
        if isinstance(cleansed, str) and URL_WITH_PASSWORD.search(str(cleansed)):
            return self.cleansed_substitute
        return cleansed
