"""The temporary table that collects a load's valid usage rows before one set-based insert.

Rows arrive per chunk; the database then resolves contacts, deduplicates and rolls up
the whole load in a few statements. On PostgreSQL the chunks are written with
``COPY … FORMAT BINARY``: no text to format in Python and none to parse in the server.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from django.db.backends.utils import CursorWrapper

from core.sql import copy_binary

TABLE = "csp_stage_usage"
#: The staged columns, in COPY order. People travel by e-mail: the database maps them to
#: contacts once per load, with one join, instead of a query per chunk from Python.
COLUMNS = (
    "account_id", "contact_email", "user_id", "event", "occurred_at", "quantity", "source_id",
    "properties",
)  # fmt: skip
#: PostgreSQL's binary wire types of COLUMNS. A timestamptz travels as an int8 count of
#: microseconds since 2000-01-01 UTC (the documented binary format of timestamptz), so
#: the column is declared int8 here and numpy computes the counts for a whole chunk.
BINARY_TYPES = ("int8", "text", "text", "text", "int8", "float8", "text", "text")
POSTGRES_EPOCH_US = 946_684_800_000_000  # 2000-01-01 in microseconds since 1970-01-01


def create(cursor: CursorWrapper, vendor: str) -> None:
    """An empty staging table, private to this session."""
    if vendor == "postgresql":
        # Temporary and dropped at commit: no WAL, no index, invisible to others.
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {TABLE} (account_id bigint, contact_email text, "
            f"user_id text, event text, occurred_at timestamptz, quantity double precision, "
            f"source_id text, properties text) ON COMMIT DROP"
        )
    else:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {TABLE} (account_id integer, contact_email text, "
            f"user_id text, event text, occurred_at text, quantity real, source_id text, "
            f"properties text)"
        )
    cursor.execute(f"DELETE FROM {TABLE}")


def postgres_columns(rows: pd.DataFrame) -> list[list]:
    """The checked rows as one Python list per column, in COLUMNS order, ready for
    ``write_row`` with BINARY_TYPES."""
    stamps = rows["occurred_at"].to_numpy(dtype="datetime64[us]").astype("int64")
    return [
        rows["account_id"].to_numpy(dtype="int64").tolist(),
        rows["contact_email"].tolist(),
        rows["user_id"].tolist(),
        rows["event"].tolist(),
        (stamps - POSTGRES_EPOCH_US).tolist(),
        rows["quantity"].to_numpy(dtype="float64").tolist(),
        rows["source_id"].tolist(),
        rows["properties"].tolist(),
    ]


def sqlite_rows(rows: pd.DataFrame) -> list[tuple]:
    """The checked rows as tuples for SQLite, which stores datetimes as UTC text."""
    stamps = np.datetime_as_string(rows["occurred_at"].to_numpy(dtype="datetime64[us]"))
    return list(
        zip(
            rows["account_id"].to_numpy(dtype="int64").tolist(),
            rows["contact_email"].tolist(),
            rows["user_id"].tolist(),
            rows["event"].tolist(),
            np.char.replace(stamps, "T", " ").tolist(),
            rows["quantity"].to_numpy(dtype="float64").tolist(),
            rows["source_id"].tolist(),
            rows["properties"].tolist(),
            strict=True,
        )
    )


def write(cursor: CursorWrapper, vendor: str, rows: pd.DataFrame) -> None:
    """Append checked usage rows (``rules.check_usage`` output) to the staging table."""
    if vendor == "postgresql":
        copy_binary(cursor, TABLE, COLUMNS, BINARY_TYPES, zip(*postgres_columns(rows), strict=True))
    else:
        # SQLite (the embedded mode) has no COPY; executemany is its bulk path.
        cursor.executemany(
            f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            sqlite_rows(rows),
        )
