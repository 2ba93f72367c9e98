"""Moving pandas frames in and out of the database in bulk: fast on PostgreSQL through
COPY, portable to SQLite (the embedded mode) through executemany. One dialect switch,
here, for every app.

* :func:`upsert` — insert or update rows (recomputes write one row per account for
  thousands of accounts; Django's bulk_create(update_conflicts=True) builds a model
  instance and prepares every value per row, which was most of their time);
* :func:`update_rows` — ``UPDATE … FROM`` a staged copy of the frame;
* :func:`read_frame` — a query's rows into pandas through ``COPY … TO STDOUT`` (4x
  faster than fetching tuples, see ENVIRONMENT.md);
* :func:`copy_csv` and :func:`copy_binary` — rows into a (temporary) table with COPY.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from django.db import connection
from django.db.backends.utils import CursorWrapper
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
    values = python_rows(_db_values(model, rows))
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


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def table_name(model: type[Model]) -> str:
    """The model's table, quoted for the current database."""
    return connection.ops.quote_name(model._meta.db_table)


def python_rows(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    """Python values, None for missing: what both drivers take row by row."""
    return list(frame.astype(object).where(frame.notna(), None).itertuples(index=False, name=None))


def read_frame(sql: str, params: Sequence[Any], columns: list[str]) -> pd.DataFrame:
    """The rows of ``sql`` as a DataFrame with ``columns`` (text left as str, '' for NULL).

    On PostgreSQL the query runs inside COPY … TO STDOUT, its CSV parsed by pandas in C.
    Parameters are bound client-side by psycopg (COPY takes no server-side parameters).
    """
    with connection.cursor() as cursor:
        if not is_postgres():
            cursor.execute(sql, list(params))
            return pd.DataFrame.from_records(cursor.fetchall(), columns=columns)
        buffer = io.BytesIO()
        with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT CSV)", list(params)) as copy:
            for block in copy:
                buffer.write(block)
    if buffer.tell() == 0:
        return pd.DataFrame({column: pd.Series(dtype="object") for column in columns})
    buffer.seek(0)
    return pd.read_csv(buffer, names=columns, header=None, keep_default_na=False, na_values=[""])


def as_bools(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Boolean columns as read back from either database ('t'/'f', 1/0, True/False)."""
    for column in columns:
        values = frame[column]
        if values.dtype == object:
            values = values.map({"t": 1, "f": 0, True: 1, False: 0})
        frame[column] = pd.to_numeric(values).fillna(0).astype(bool)
    return frame


def _csv(frame: pd.DataFrame) -> bytes:
    """The frame as PostgreSQL CSV: booleans as t/f, missing values as empty fields."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == bool:
            out[column] = np.where(out[column], "t", "f")
    return out.to_csv(index=False, header=False, na_rep="").encode()


def copy_csv(cursor: CursorWrapper, table: str, columns: list[str], frame: pd.DataFrame) -> None:
    """Append ``frame[columns]`` to ``table`` (quoted) with COPY … FORMAT CSV (PostgreSQL)."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    payload = _csv(frame[columns])
    # An unquoted empty CSV field is NULL to COPY; text columns mean '' by it.
    text = [quote(c) for c in columns if pd.api.types.is_string_dtype(frame[c])]
    options = f", FORCE_NOT_NULL ({', '.join(text)})" if text else ""
    with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN (FORMAT CSV{options})") as copy:
        step = 1 << 20
        for start in range(0, len(payload), step):
            copy.write(payload[start : start + step])


def copy_binary(
    cursor: CursorWrapper,
    table: str,
    columns: Sequence[str],
    types: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
) -> None:
    """Append ``rows`` to ``table`` with COPY … FORMAT BINARY (PostgreSQL): no text to
    format in Python and none to parse in the server. ``types`` are PostgreSQL's binary
    wire types of ``columns``."""
    with cursor.cursor.copy(
        f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)"
    ) as copy:
        copy.set_types(list(types))
        for row in rows:
            copy.write_row(row)


def update_rows(model: type[Model], frame: pd.DataFrame, *, key: str = "id") -> None:
    """Set the frame's other columns on the rows whose ``key`` matches."""
    if frame.empty:
        return
    quote = connection.ops.quote_name
    columns = list(frame.columns)
    changed = [c for c in columns if c != key]
    table = table_name(model)
    with connection.cursor() as cursor:
        if not is_postgres():
            sets = ", ".join(f"{quote(c)} = %s" for c in changed)
            cursor.executemany(
                f"UPDATE {table} SET {sets} WHERE {quote(key)} = %s",
                python_rows(frame[[*changed, key]]),
            )
            return
        stage = quote(f"csp_stage_{model._meta.db_table}_update")
        names = ", ".join(quote(c) for c in columns)
        # Dropped at commit; emptied first in case this transaction staged rows before.
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {stage} ON COMMIT DROP AS "
            f"SELECT {names} FROM {table} WITH NO DATA"
        )
        cursor.execute(f"DELETE FROM {stage}")
        copy_csv(cursor, stage, columns, frame)
        sets = ", ".join(f"{quote(c)} = s.{quote(c)}" for c in changed)
        cursor.execute(
            f"UPDATE {table} t SET {sets} FROM {stage} s WHERE t.{quote(key)} = s.{quote(key)}"
        )
