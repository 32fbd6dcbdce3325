"""What runs once after a bulk load, inside its transaction."""


def after_bulk_load(using: str) -> None:
    """Called exactly once by every bulk load (import_corpus, generate_corpus), inside its transaction,
    after all rows and their history are in, on database alias `using`.

    Bulk loads write rows with COPY or plain INSERTs, bypassing save() and signals: whatever the
    project maintains on save (counts kept on rows, a change stamp for caches) must be brought up to
    date here. A no-op until such state exists.
    """
