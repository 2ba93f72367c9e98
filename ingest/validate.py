"""Vectorised checks of one chunk: text columns in, typed columns and row errors out.

No ORM here. Look-ups (external IDs to primary keys) arrive as plain mappings, so the
rules are tested without a database and never loop over rows in Python.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

ERROR_COLUMNS = ["row", "column", "reason"]
#: Builds the reason of each bad row (True in the mask) of a chunk.
Reasons = Callable[[pd.Series], pd.Series]
#: Tolerated clock skew for timestamps from the future.
FUTURE_SLACK = timedelta(days=1)


class Problems:
    """Collects row errors column by column, as masks over the chunk."""

    def __init__(self, index: pd.Index) -> None:
        self.index = index
        self.bad = pd.Series(False, index=index)
        self._parts: list[pd.DataFrame] = []

    def add(self, mask: pd.Series, column: str, reason: str | Reasons) -> None:
        """``reason`` is one text for every bad row, or builds a text per bad row; it is
        called with the final mask only, so a clean column costs no string work."""
        mask = mask & ~self.bad  # one error per row is enough to reject it
        if not mask.any():
            return
        rows = self.index[mask.to_numpy()]
        reasons = reason(mask) if callable(reason) else reason
        self._parts.append(
            pd.DataFrame({"row": rows, "column": column, "reason": reasons}, index=rows)
        )
        self.bad |= mask

    def frame(self) -> pd.DataFrame:
        if not self._parts:
            return pd.DataFrame(columns=ERROR_COLUMNS)
        return pd.concat(self._parts).sort_values("row", kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class Checked:
    rows: pd.DataFrame  # the valid rows, typed
    errors: pd.DataFrame  # row, column, reason


def _quoted(values: pd.Series, limit: int = 60) -> pd.Series:
    return "“" + values.str.slice(0, limit) + "”"


def _quoting(values: pd.Series, *, before: str = "", after: str = "") -> Reasons:
    """Reasons that quote each bad row's value, built for the bad rows only: concatenating
    text for every row of a clean million-row file took seconds."""
    return lambda bad: before + _quoted(values[bad]) + after


def text(frame, problems, column, *, required=False, max_length=200) -> pd.Series:
    values = frame[column].str.strip() if column in frame else pd.Series("", index=frame.index)
    if required:
        problems.add(values == "", column, _("is required"))
    problems.add(
        values.str.len() > max_length, column, _("is longer than %d characters") % max_length
    )
    return values


def timestamp(frame, problems, column, *, required=True, now: datetime | None = None):
    """ISO 8601; a naive value means UTC. Far-future values are refused."""
    raw = frame[column].str.strip() if column in frame else pd.Series("", index=frame.index)
    parsed = pd.to_datetime(raw, utc=True, errors="coerce", format="ISO8601")
    if required:
        problems.add(raw == "", column, _("is required"))
    problems.add(
        (raw != "") & parsed.isna(),
        column,
        _quoting(raw, after=" " + _("is not an ISO 8601 date and time")),
    )
    limit = pd.Timestamp((now or datetime.now(UTC)) + FUTURE_SLACK)
    problems.add(parsed > limit, column, _("is in the future"))
    return parsed


def date(frame, problems, column):
    raw = frame[column].str.strip() if column in frame else pd.Series("", index=frame.index)
    parsed = pd.to_datetime(raw, errors="coerce", format="ISO8601")
    problems.add(
        (raw != "") & parsed.isna(),
        column,
        _quoting(raw, after=" " + _("is not a date (YYYY-MM-DD)")),
    )
    return parsed.dt.date.where(parsed.notna(), None)


def number(frame, problems, column, *, default=None, minimum=0, integer=False, maximum=None):
    raw = frame[column].str.strip() if column in frame else pd.Series("", index=frame.index)
    values = pd.to_numeric(raw.str.replace(",", "", regex=False), errors="coerce")
    if default is None:
        problems.add(raw == "", column, _("is required"))
    else:
        values = values.where(raw != "", default)
    problems.add(
        (raw != "") & values.isna(), column, _quoting(raw, after=" " + _("is not a number"))
    )
    if integer:
        problems.add(values.notna() & (values % 1 != 0), column, _("must be a whole number"))
    if minimum is not None:
        problems.add(values < minimum, column, _("must be at least %s") % minimum)
    if maximum is not None:
        problems.add(values > maximum, column, _("must be at most %s") % maximum)
    return values


def choice(frame, problems, column, *, choices: Mapping[str, str | bool], default: str | bool):
    """Case-insensitive; ``choices`` maps accepted spellings to stored values (text, or
    booleans for a yes/no column). The error lists the spellings a file may use."""
    raw = (
        frame[column].str.strip().str.lower()
        if column in frame
        else pd.Series("", index=frame.index)
    )
    values = raw.map(choices)
    allowed = ", ".join(sorted(choices))
    problems.add(
        (raw != "") & values.isna(),
        column,
        _quoting(raw, after=" " + _("is not one of: %s") % allowed),
    )
    # An all-blank column maps to float NaN; widen to object so a boolean default fits.
    values = values.astype(object)
    return values.where(values.notna(), default)


def account_ids(frame, problems, lookup: Mapping[str, int], column="account_external_id"):
    """External IDs to primary keys; an unknown account is an error, never invented."""
    external = text(frame, problems, column, required=True, max_length=100)
    ids = external.map(lookup)
    problems.add(
        (external != "") & ids.isna(),
        column,
        _quoting(external, before=_("unknown account") + " "),
    )
    return ids


def emails(frame, problems, column, *, required=False):
    values = text(frame, problems, column, required=required, max_length=254).str.lower()
    # A file names each person many times: match the pattern once per distinct address.
    distinct = pd.Series(values.unique())
    wellformed = distinct[distinct.str.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+")]
    malformed = (values != "") & ~values.isin(wellformed)
    problems.add(malformed, column, _quoting(values, after=" " + _("is not an e-mail address")))
    return values


def json_object(frame, problems, column, *, max_length=16_000) -> pd.Series:
    """JSON object text, "{}" when absent. Parsed row by row, but only where the column
    is present at all: the JSON doors send it, CSV files normally do not."""
    raw = frame[column].str.strip() if column in frame else pd.Series("", index=frame.index)
    values = raw.where(raw != "", "{}")
    if column in frame:
        valid = values.map(_is_json_object)
        problems.add(~valid, column, _("is not a JSON object"))
        problems.add(values.str.len() > max_length, column, _("is too large"))
    return values


def _is_json_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False


def row_hash(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """A stable 128-bit key for rows that carry no ID of their own (two 64-bit hashes)."""
    part = frame[columns].astype(str)
    first = pd.util.hash_pandas_object(part, index=False, hash_key="csplatform-row-1")
    second = pd.util.hash_pandas_object(part, index=False, hash_key="csplatform-row-2")
    both = np.column_stack([first.to_numpy(), second.to_numpy()]).astype(">u8")
    # One hex string for the whole chunk, cut into 32-character keys: no per-row Python.
    keys = np.frombuffer(both.tobytes().hex().encode("ascii"), dtype="S32").astype(str)
    return "h:" + pd.Series(keys, index=frame.index)


def finish(frame: pd.DataFrame, problems: Problems, columns: dict[str, pd.Series]) -> Checked:
    typed = pd.DataFrame(columns, index=frame.index)
    return Checked(rows=typed[~problems.bad], errors=problems.frame())
