"""Renewal outcomes: the bad input an import refuses, row by row, and what lands."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pandas as pd
import pytest

from accounts.models import RenewalOutcome, Source
from ingest.models import ImportJob
from ingest.rules import Lookups, check_renewals
from ingest.services.imports import import_records
from tests.accounts.factories import AccountFactory

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
GOOD = {
    "account_external_id": "A",
    "renewed_on": "2026-01-01",
    "outcome": "renewed",
    "arr_before": "10000",
    "arr_after": "10000",
}


def _errors(*rows: dict[str, str]) -> list[tuple[int, str, str]]:
    frame = pd.DataFrame([GOOD | row for row in rows], index=range(2, 2 + len(rows)))
    checked = check_renewals(frame, Lookups(accounts={"A": 1, "B": 2}), now=NOW)
    return list(checked.errors.itertuples(index=False, name=None))


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        ({"account_external_id": "NOPE"}, "account_external_id", "unknown account “NOPE”"),
        ({"renewed_on": "2026-06-02"}, "renewed_on", "is in the future"),
        ({"renewed_on": "June"}, "renewed_on", "“June” is not a date (YYYY-MM-DD)"),
        ({"renewed_on": ""}, "renewed_on", "is required"),
        ({"arr_before": "-1"}, "arr_before", "must be at least 0"),
        ({"arr_after": "-5"}, "arr_after", "must be at least 0"),
        (
            {"outcome": "lost"},
            "outcome",
            "“lost” is not one of: churned, contracted, expanded, renewed",
        ),
        ({"outcome": "churned", "arr_after": "10"}, "arr_after", "must be 0 for a churned account"),
    ],
)
def test_a_bad_outcome_row_is_refused_with_its_row_column_and_reason(row, column, reason):
    assert _errors(row) == [(2, column, reason)]


def test_two_outcomes_for_one_account_and_day_refuse_the_second_naming_the_first():
    errors = _errors({}, {"account_external_id": "B"}, {"outcome": "churned", "arr_after": "0"})
    assert errors == [(4, "renewed_on", "this account already has an outcome on this date (row 2)")]


def test_outcome_spellings_are_case_insensitive_and_today_is_not_the_future():
    assert _errors({"outcome": "Churned", "arr_after": "0", "renewed_on": "2026-06-01"}) == []


@pytest.mark.django_db
def test_one_bad_row_lands_nothing_and_a_good_file_lands_every_outcome():
    AccountFactory(external_id="A")
    rows = [GOOD, GOOD | {"renewed_on": "2025-01-01", "outcome": "expanded", "arr_before": "8000"}]
    job = import_records(
        kind="renewals", records=[*rows, GOOD | {"arr_before": "-1"}], source=Source.API
    )
    assert job.status == ImportJob.Status.REJECTED
    assert job.errors == [{"row": 3, "column": "arr_before", "reason": "must be at least 0"}]
    assert not RenewalOutcome.objects.exists()

    job = import_records(kind="renewals", records=rows, source=Source.API)
    assert (job.status, job.rows_inserted) == (ImportJob.Status.SUCCEEDED, 2)
    assert list(
        RenewalOutcome.objects.values_list("renewed_on", "outcome", "arr_before", "arr_after")
    ) == [
        (datetime(2026, 1, 1).date(), "renewed", Decimal("10000"), Decimal("10000")),
        (datetime(2025, 1, 1).date(), "expanded", Decimal("8000"), Decimal("10000")),
    ]
    again = import_records(kind="renewals", records=rows, source=Source.API)
    assert (again.rows_inserted, again.rows_duplicate) == (0, 2)
