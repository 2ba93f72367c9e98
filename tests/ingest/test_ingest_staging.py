"""The staging rows of a usage load: pure conversions, no database."""

from datetime import UTC, datetime, timedelta

import pandas as pd

from ingest.services import staging


def _checked() -> pd.DataFrame:
    """Two rows as ``rules.check_usage`` hands them on."""
    return pd.DataFrame(
        {
            "account_id": pd.Series([7.0, 8.0]),
            "contact_email": ["ana@x.io", ""],
            "user_id": ["u-1", ""],
            "event": ["login", "export"],
            "occurred_at": pd.to_datetime(
                ["2000-01-01T00:00:00.000001Z", "2026-11-20T10:00:00.5Z"], utc=True
            ),
            "quantity": [1, 2.5],
            "source_id": ["m-1", "h:ab"],
            "properties": ["{}", '{"a": 1}'],
        }
    )


def test_postgres_rows_carry_timestamps_as_microseconds_since_2000():
    """GIVEN typed rows THEN each column is plain Python values in COPY order, the
    timestamps as PostgreSQL's binary timestamptz (microseconds since 2000-01-01 UTC)."""
    columns = staging.postgres_columns(_checked())
    assert len(columns) == len(staging.COLUMNS) == len(staging.BINARY_TYPES)
    rows = list(zip(*columns, strict=True))
    since_2000 = datetime(2026, 11, 20, 10, 0, 0, 500000, tzinfo=UTC) - datetime(
        2000, 1, 1, tzinfo=UTC
    )
    assert rows == [
        (7, "ana@x.io", "u-1", "login", 1, 1.0, "m-1", "{}"),
        (8, "", "", "export", since_2000 // timedelta(microseconds=1), 2.5, "h:ab", '{"a": 1}'),
    ]
    assert all(type(value) is int for value in columns[0] + columns[4])


def test_sqlite_rows_carry_timestamps_as_utc_text():
    rows = staging.sqlite_rows(_checked())
    assert [row[4] for row in rows] == ["2000-01-01 00:00:00.000001", "2026-11-20 10:00:00.500000"]
    assert rows[1][:4] == (8, "", "", "export")
