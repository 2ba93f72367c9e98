"""core.sql.upsert: inserts, updates only what it is told, respects its
condition, and stores pandas timestamps right, on SQLite and (CI) PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from django.db import transaction
from django.utils import timezone

from core.sql import DIRECT_UPSERT_ROWS, upsert
from healthscores.models import AccountHealth
from tests.accounts.factories import AccountFactory

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 20)


def frame(accounts, *, day=DAY, score=50.0, band="yellow", at=None):
    return pd.DataFrame(
        {
            "account_id": [a.pk for a in accounts],
            "day": pd.to_datetime([day] * len(accounts)),
            "score": score,
            "band": band,
            "effective_band": band,
            "is_override": False,
            "divergent": False,
            "computed_at": at or timezone.now(),
        }
    )


@pytest.mark.parametrize("count", [3, DIRECT_UPSERT_ROWS + 20])  # one INSERT, and COPY
def test_rows_are_inserted_then_updated_in_place(count):
    accounts = AccountFactory.create_batch(count)
    at = timezone.now().replace(microsecond=0)
    with transaction.atomic():
        upsert(AccountHealth, frame(accounts, at=at), conflict=("account_id",))
    assert AccountHealth.objects.count() == count
    stored = AccountHealth.objects.get(account=accounts[0])
    assert (stored.day, stored.computed_at) == (DAY, at)

    with transaction.atomic():
        upsert(AccountHealth, frame(accounts, score=80.0, band="green"), conflict=("account_id",))
    assert set(AccountHealth.objects.values_list("score", "band")) == {(80.0, "green")}


def test_only_the_named_columns_are_updated():
    accounts = AccountFactory.create_batch(2)
    upsert(AccountHealth, frame(accounts), conflict=("account_id",))
    upsert(
        AccountHealth,
        frame(accounts, score=10.0, band="red"),
        conflict=("account_id",),
        update=["score"],
    )
    assert set(AccountHealth.objects.values_list("score", "band")) == {(10.0, "yellow")}


def test_the_condition_keeps_newer_rows():
    accounts = AccountFactory.create_batch(2)
    upsert(AccountHealth, frame(accounts, score=70.0), conflict=("account_id",))
    older = frame(accounts, day=DAY - timedelta(days=3), score=20.0)
    upsert(
        AccountHealth,
        older,
        conflict=("account_id",),
        only_if='"healthscores_accounthealth".day <= EXCLUDED.day',
    )
    assert set(AccountHealth.objects.values_list("day", "score")) == {(DAY, 70.0)}


def test_nothing_to_write_is_fine():
    upsert(AccountHealth, frame([]), conflict=("account_id",))
    assert not AccountHealth.objects.exists()
