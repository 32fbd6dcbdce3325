"""The change stamp moves once per committed transaction that changed the corpus, and never for one rolled back."""

import pytest
from django.db import transaction

from corpus_app.changes import current_stamp
from tests.factories import ExpertFactory

pytestmark = pytest.mark.django_db(transaction=True)


def generation() -> str:
    return current_stamp().token.rsplit("-", 1)[-1]


def test_one_move_per_transaction_however_many_writes():
    before = int(generation(), 16)
    with transaction.atomic():
        ExpertFactory.create_batch(3)
        assert int(generation(), 16) == before  # not before the rows are visible to others
    assert int(generation(), 16) == before + 1


def test_a_rolled_back_savepoint_does_not_lose_the_move_of_what_committed():
    before = int(generation(), 16)
    with transaction.atomic():
        try:
            with transaction.atomic():
                ExpertFactory()
                raise RuntimeError
        except RuntimeError:
            pass
        ExpertFactory()
    assert int(generation(), 16) == before + 1


def test_a_rolled_back_transaction_moves_nothing():
    before = current_stamp()
    with pytest.raises(RuntimeError), transaction.atomic():
        ExpertFactory()
        raise RuntimeError
    assert current_stamp() == before
