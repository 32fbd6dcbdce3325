"""What runs once after a bulk load, inside its transaction."""

from corpus_app import counts


def after_bulk_load(using: str) -> None:
    """Called exactly once by every bulk load (import_corpus, generate_corpus), inside its transaction,
    after all rows and their history are in, on database alias `using`.

    Bulk loads write rows with COPY or plain INSERTs, bypassing save() and signals: the counts kept in
    columns are recounted and the change stamp moves once the load commits (counts.after_bulk_load).
    """
    counts.after_bulk_load(using)
