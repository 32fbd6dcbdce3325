"""A read-only SQLite copy of the corpus for Datasette (`manage.py export_sqlite FILE`).

The copy holds the corpus tables alone, as the public API shows them: no user, group, token, login
session, lockout, history (it names curators), rejected suggestion or search configuration. The
project's own database file must never be served: it holds working API tokens and password hashes.
tables.py says what is published, writer.py writes the file, metadata.py its Datasette metadata.
"""
