"""Bulk upserts of pandas frames, fast on PostgreSQL and portable to SQLite.

The recomputes (health, onboarding) write one row per account for thousands of
accounts at a time; Django's bulk_create(update_conflicts=True) builds a model instance
and prepares every value per row, which was most of their time.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from django.db import connection
from django.db.models import DateField, DateTimeField, Model

#: Up to this many rows go in one plain INSERT; more go through COPY.
DIRECT_UPSERT_ROWS = 100


def upsert(
    model: type[Model],
    rows: pd.DataFrame,
    *,
    conflict: tuple[str, ...],
    update: Iterable[str] | None = None,
    only_if: str = "",
) -> None:
    """Insert ``rows`` (columns named like the table's) into ``model``'s table, updating
    the rows whose ``conflict`` columns exist already: the ``update`` columns (default:
    all the others), where the SQL condition ``only_if`` over the table and EXCLUDED
    holds, when given. Call inside a transaction.

    bulk_create on PostgreSQL passes a column as an array that psycopg quotes in Python
    value by value (a second for 2,500 health snapshots), so PostgreSQL gets a chunk's
    rows through COPY into a temporary table and one INSERT … SELECT; a few rows (the
    accounts of one ingest) go straight into one INSERT, cheaper than setting up the COPY.
    SQLite (the embedded mode) takes an executemany of the same upsert.
    """
    if rows.empty:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = list(rows.columns)
    names = ", ".join(quote(c) for c in columns)
    changed = [c for c in columns if c not in conflict] if update is None else list(update)
    updates = ", ".join(f"{quote(c)} = EXCLUDED.{quote(c)}" for c in changed)
    upsert_sql = (
        f"ON CONFLICT ({', '.join(quote(c) for c in conflict)}) DO UPDATE SET {updates}"
        + (f" WHERE {only_if}" if only_if else "")
    )
    rows = _db_values(model, rows)
    # Python values, None for missing: what both drivers take row by row.
    values = list(rows.astype(object).where(rows.notna(), None).itertuples(index=False, name=None))
    placeholders = f"({', '.join(['%s'] * len(columns))})"
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES {placeholders} {upsert_sql}", values
            )
            return
        if len(values) <= DIRECT_UPSERT_ROWS:
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {', '.join([placeholders] * len(values))} "
                + upsert_sql,
                [value for row_values in values for value in row_values],
            )
            return
        stage = quote(f"csp_stage_{model._meta.db_table}")
        # Dropped at commit; emptied first because a caller's open transaction (a test,
        # a backfill of several days) may have staged rows in it already.
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {stage} ON COMMIT DROP AS "
            f"SELECT {names} FROM {table} WITH NO DATA"
        )
        cursor.execute(f"DELETE FROM {stage}")
        with cursor.cursor.copy(f"COPY {stage} ({names}) FROM STDIN") as copy:
            for row_values in values:
                copy.write_row(row_values)
        cursor.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {stage} {upsert_sql}")


def _db_values(model: type[Model], rows: pd.DataFrame) -> pd.DataFrame:
    """pandas timestamps as the database takes them, by the column's model field: a
    date for a DateField, the backend's own form of an aware datetime for a
    DateTimeField (SQLite keeps naive UTC text). Converted once per distinct value, so a
    chunk's single ``computed_at`` costs one call."""
    fields = {field.column: field for field in model._meta.concrete_fields}
    rows = rows.copy()
    for column in rows.columns:
        field = fields.get(column)
        if not pd.api.types.is_datetime64_any_dtype(rows[column]) or field is None:
            continue
        if isinstance(field, DateTimeField):
            adapt = connection.ops.adapt_datetimefield_value
            distinct = {
                v: adapt(pd.Timestamp(v).to_pydatetime()) for v in rows[column].dropna().unique()
            }
            rows[column] = rows[column].map(distinct).astype(object)
        elif isinstance(field, DateField):
            rows[column] = rows[column].dt.date.astype(object)
    return rows
