"""The curators' admin: registrations, the stale-edit guard, history, import/export, the timeline."""

from corpus_app.admin import registrations  # noqa: F401
