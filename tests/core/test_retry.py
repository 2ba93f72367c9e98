"""A transaction PostgreSQL aborts as a deadlock's loser is run again, not lost."""

from __future__ import annotations

import threading

import pytest
from django.db import DatabaseError, connection, transaction

from core.retry import atomic_with_retry, is_retryable
from tests.accounts.factories import AccountFactory
from tests.concurrency import race


class _Coded(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def test_deadlocks_and_serialization_failures_are_retryable_others_not():
    for sqlstate, expected in (("40P01", True), ("40001", True), ("23505", False)):
        wrapped = DatabaseError("wrapped")
        wrapped.__cause__ = _Coded(sqlstate)
        assert is_retryable(wrapped) is expected
    assert not is_retryable(DatabaseError("no cause"))


@pytest.mark.needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_writers_locking_in_opposite_orders_both_commit():
    """Each locks one account, waits for the other to lock the second, then asks for
    the other's: PostgreSQL aborts one as deadlocked; run again, it commits."""
    first, second = AccountFactory(name="First"), AccountFactory(name="Second")
    both_hold_one = threading.Barrier(2)
    attempts: list[str] = []

    def writer(name: str, order: tuple[int, int]):
        def work() -> str:
            attempts.append(name)
            with connection.cursor() as cursor:
                cursor.execute("UPDATE accounts_account SET name = name WHERE id = %s", [order[0]])
                if attempts.count(name) == 1:
                    both_hold_one.wait(timeout=10)
                cursor.execute("UPDATE accounts_account SET name = name WHERE id = %s", [order[1]])
            return name

        return lambda: atomic_with_retry(work)

    results = race(
        [writer("a", (first.pk, second.pk)), writer("b", (second.pk, first.pk))], threads=2
    )

    assert sorted(results) == ["a", "b"]
    assert len(attempts) == 3  # the deadlock's loser ran twice


@pytest.mark.django_db
def test_inside_another_transaction_the_error_goes_up_unretried():
    calls = []

    def work():
        calls.append(1)
        raise DatabaseError("deadlock") from _Coded("40P01")

    with pytest.raises(DatabaseError), transaction.atomic():
        atomic_with_retry(work)
    assert calls == [1]
