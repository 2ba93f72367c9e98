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
from django.utils.translation import ngettext

from core.text import MULTI_LINE_FORBIDDEN, SINGLE_LINE_FORBIDDEN, forbidden_paths

ERROR_COLUMNS = ["row", "column", "reason"]
#: Builds the reason of each bad row (True in the mask) of a chunk.
Reasons = Callable[[pd.Series], pd.Series]
#: Tolerated clock skew for timestamps from the future.
FUTURE_SLACK = timedelta(days=1)
#: No fact of a customer-success platform predates this: an earlier time is a device
#: whose clock was reset (1970) or a default date of another tool, and one such event
#: would stretch every chart and cohort back decades.
EARLIEST_TIMESTAMP = datetime(2000, 1, 1, tzinfo=UTC)
LINE_BREAKS = "[\r\n\u2028\u2029]"


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
    # A quoted value goes into the job's stored errors, where PostgreSQL refuses a NUL;
    # the columns read through ``_read`` never get here with one, this is the backstop.
    return values.str.slice(0, limit).str.replace(
        SINGLE_LINE_FORBIDDEN.pattern, "\ufffd", regex=True
    )


def _quoting(values: pd.Series, sentence: str) -> Reasons:
    """Reasons that quote each bad row's value inside ``sentence``, a whole translated
    message with a ``%(value)s`` placeholder, so each language puts the value (and its
    quotation marks) where its word order wants it. The sentence is split around the
    placeholder once and joined per bad row only: concatenating text for every row of a
    clean million-row file took seconds."""
    before, _placeholder, after = sentence.partition("%(value)s")
    return lambda bad: before + _quoted(values[bad]) + after


def _clean(values: pd.Series, *, single_line: bool) -> bool:
    """Whether no value holds a forbidden character: one scan of the whole column, in C,
    so a clean column (nearly every one) costs no per-row regular expression."""
    joined = "".join(values.tolist())
    pattern = SINGLE_LINE_FORBIDDEN if single_line else MULTI_LINE_FORBIDDEN
    return joined.isprintable() or pattern.search(joined) is None


def _read(frame, problems, column, *, single_line: bool = True) -> pd.Series:
    """The stripped text of ``column`` ("" where absent), its rows with a control
    character refused (``core.text``): PostgreSQL refuses a NUL with an error, and an ID
    or a name with a line break in it is never what was meant."""
    if column not in frame:
        return pd.Series("", index=frame.index)
    values = frame[column].str.strip()
    if not _clean(values, single_line=single_line):
        pattern = SINGLE_LINE_FORBIDDEN if single_line else MULTI_LINE_FORBIDDEN
        forbidden = values.str.contains(pattern.pattern, regex=True)

        def reasons(bad: pd.Series) -> pd.Series:
            broken = values[bad].str.contains(LINE_BREAKS, regex=True) if single_line else False
            return pd.Series(
                np.where(
                    broken, _("must be on one line"), _("must not contain control characters")
                ),
                index=values[bad].index,
            )

        problems.add(forbidden, column, reasons)
    return values


def too_long(max_length: int) -> str:
    """Why a value longer than ``max_length`` characters is refused (files and tracking)."""
    return ngettext(
        "is longer than %(max)d character", "is longer than %(max)d characters", max_length
    ) % {"max": max_length}


def text(frame, problems, column, *, required=False, max_length=200, single_line=True) -> pd.Series:
    values = _read(frame, problems, column, single_line=single_line)
    if required:
        problems.add(values == "", column, _("is required"))
    problems.add(
        values.str.len() > max_length,
        column,
        too_long(max_length),
    )
    return values


def timestamp(frame, problems, column, *, required=True, now: datetime | None = None):
    """ISO 8601; a naive value means UTC. Far-future values and those before
    EARLIEST_TIMESTAMP are refused."""
    raw = _read(frame, problems, column)
    parsed = pd.to_datetime(raw, utc=True, errors="coerce", format="ISO8601")
    if required:
        problems.add(raw == "", column, _("is required"))
    problems.add(
        (raw != "") & parsed.isna(),
        column,
        _quoting(raw, _("“%(value)s” is not an ISO 8601 date and time")),
    )
    limit = pd.Timestamp((now or datetime.now(UTC)) + FUTURE_SLACK)
    problems.add(parsed > limit, column, _("is in the future"))
    problems.add(
        parsed < pd.Timestamp(EARLIEST_TIMESTAMP),
        column,
        _("is before %(date)s") % {"date": EARLIEST_TIMESTAMP.date().isoformat()},
    )
    return parsed


def date(frame, problems, column):
    raw = _read(frame, problems, column)
    parsed = pd.to_datetime(raw, errors="coerce", format="ISO8601")
    problems.add(
        (raw != "") & parsed.isna(),
        column,
        _quoting(raw, _("“%(value)s” is not a date (YYYY-MM-DD)")),
    )
    return parsed.dt.date.where(parsed.notna(), None)


def number(frame, problems, column, *, default=None, minimum=0, integer=False, maximum=None):
    """A number; "nan", "inf" and their kin are refused, since no quantity, amount or
    score is infinite and PostgreSQL's JSON and numeric columns refuse them."""
    raw = _read(frame, problems, column)
    values = pd.to_numeric(raw.str.replace(",", "", regex=False), errors="coerce")
    if default is None:
        problems.add(raw == "", column, _("is required"))
    else:
        values = values.where(raw != "", default)
    problems.add(
        (raw != "") & values.isna(), column, _quoting(raw, _("“%(value)s” is not a number"))
    )
    problems.add(np.isinf(values), column, _("is not a finite number"))
    if integer:
        problems.add(values.notna() & (values % 1 != 0), column, _("must be a whole number"))
    if minimum is not None:
        problems.add(
            values < minimum, column, _("must be at least %(minimum)s") % {"minimum": minimum}
        )
    if maximum is not None:
        problems.add(
            values > maximum, column, _("must be at most %(maximum)s") % {"maximum": maximum}
        )
    return values


def choice(frame, problems, column, *, choices: Mapping[str, str | bool], default: str | bool):
    """Case-insensitive; ``choices`` maps accepted spellings to stored values (text, or
    booleans for a yes/no column). The error lists the spellings a file may use."""
    raw = _read(frame, problems, column).str.lower()
    values = raw.map(choices)
    allowed = ", ".join(sorted(choices))
    problems.add(
        (raw != "") & values.isna(),
        column,
        _quoting(
            raw,
            _("“%(value)s” is not one of: %(allowed)s")
            % {"value": "%(value)s", "allowed": allowed},
        ),
    )
    # An all-blank column maps to float NaN; widen to object so a boolean default fits.
    values = values.astype(object)
    return values.where(values.notna(), default)


def account_ids(
    frame,
    problems,
    lookup: Mapping[str, int],
    column="account_external_id",
    *,
    names: Mapping[str, int] | None = None,
    shared_names: Mapping[str, int] | None = None,
):
    """Accounts named by external ID or, failing that, by exact name in any case (the
    organisation column of helpdesk exports holds names): ``names`` maps lower-cased
    names borne by one account to its primary key, ``shared_names`` those borne by
    several to how many. A name shared is an error, and an unknown account too: it is
    never invented."""
    # As long as a name may be: a longer value is neither an external ID nor a name.
    external = text(frame, problems, column, required=True, max_length=200)
    ids = external.map(lookup)
    if names or shared_names:  # some values matched no external ID but an account's name
        lowered = external.str.lower()
        unmatched = (external != "") & ids.isna()
        ids = ids.where(~unmatched, lowered.map(names or {}))
        holders: pd.Series = lowered.map(shared_names or {})  # NaN where the name is not shared
        problems.add(
            unmatched & holders.notna(),
            column,
            lambda bad: pd.Series(
                [
                    _shared_name(value, count)
                    for value, count in zip(external[bad], holders.loc[bad], strict=True)
                ],
                index=external[bad].index,
            ),
        )
    problems.add(
        (external != "") & ids.isna(),
        column,
        _quoting(external, _("unknown account “%(value)s”")),
    )
    return ids


def _shared_name(value: str, count: float) -> str:
    return _(
        "“%(value)s” is the name of %(count)d accounts: use the external ID of the one you mean"
    ) % {"value": _quoted(pd.Series([value])).iloc[0], "count": count}


def emails(frame, problems, column, *, required=False):
    values = text(frame, problems, column, required=required, max_length=254).str.lower()
    # A file names each person many times: match the pattern once per distinct address.
    distinct = pd.Series(values.unique())
    wellformed = distinct[distinct.str.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+")]
    malformed = (values != "") & ~values.isin(wellformed)
    problems.add(malformed, column, _quoting(values, _("“%(value)s” is not an e-mail address")))
    return values


def json_object(frame, problems, column, *, max_length=16_000) -> pd.Series:
    """JSON object text, "{}" when absent. Each distinct text is parsed, but only where
    the column is present at all: the JSON doors send it, CSV files normally do not.

    PostgreSQL's ``jsonb`` refuses what Python's ``json`` accepts: NaN and Infinity, and
    a ``\\u0000`` in a string; the multi-line text rule holds inside the object too.
    The parse is lenient about line breaks inside strings: one typed into a spreadsheet
    cell reaches us raw, inside a properly quoted CSV field. Such values are written back
    escaped, as the database's JSON type requires.
    """
    raw = _read(frame, problems, column, single_line=False)
    values = raw.where(raw != "", "{}")
    if column not in frame:
        return values
    too_large = values.str.len() > max_length
    problems.add(too_large, column, _("is too large"))
    reasons = pd.Series("", index=values.index, dtype=object)
    # Once per distinct text: events of a kind tend to carry the same few properties.
    fits = values[~too_large]
    reasons[~too_large] = fits.map({text: _json_object_problem(text) for text in fits.unique()})
    problems.add(reasons != "", column, lambda bad: reasons[bad])
    controls = (reasons == "") & ~too_large & values.str.contains(CONTROL_CHARACTER)
    if controls.any():
        values = values.copy()
        values[controls] = values[controls].map(_escaped)
    return values


#: Raw control characters, which strict JSON (and PostgreSQL's jsonb) refuse in strings.
CONTROL_CHARACTER = r"[\x00-\x1f]"


def _refuse_constant(name: str) -> float:
    raise ValueError(name)


def _json_object_problem(text: str) -> str:
    """Why ``text`` is no storable JSON object, in the parser's words; "" when it is one."""
    try:
        value = json.loads(text, strict=False, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        return _("is not valid JSON: %(error)s") % {"error": exc}
    except (ValueError, RecursionError):  # NaN or Infinity, or nested beyond reason
        return _("is not a JSON object")
    if not isinstance(value, dict):
        return _("is not a JSON object")
    path = next(forbidden_paths(value), None)
    if path is not None:
        return _("must not contain control characters (at %(path)s)") % {
            "path": SINGLE_LINE_FORBIDDEN.sub("\ufffd", path)
        }
    return ""


def _escaped(text: str) -> str:
    return json.dumps(json.loads(text, strict=False), ensure_ascii=False)


#: The hash keys of a usage key's two 64-bit halves, and the bits flipped in its numbers
#: for the second half: pandas hashes numbers without the hash key, so the two halves
#: would otherwise be independent for the text only.
USAGE_KEY_HASH_KEYS = ("csplatform-evt-1", "csplatform-evt-2")  # 16 bytes each
USAGE_KEY_FLIP = np.uint64(0x9E3779B97F4A7C15)


def usage_key(
    account_id: pd.Series,
    event: pd.Series,
    occurred_at: pd.Series,
    quantity: pd.Series,
    contact_email: pd.Series,
) -> pd.Series:
    """The dedupe key of usage events that carry no ID of their own: "k:" and 128 bits
    hashed from the normalised values, so that every spelling of one event (``Z`` or
    ``+00:00``, ``T`` or a space, ``3.0`` or ``3``, ``Ann@X.io`` or ``ann@x.io``, the
    account's ID padded or not) gets the same key.

    The values are exactly what is stored (the account's primary key, the UTC instant to
    the microsecond, the quantity as a double, the trimmed event, the lower-cased
    e-mail), so a stored event's key can be computed again from its row: migration
    ingest 0002 re-keyed the events loaded under the previous definition that way.
    """
    index = account_id.index
    numbers = np.column_stack(
        [
            account_id.to_numpy(dtype="int64").view("u8"),
            occurred_at.to_numpy(dtype="datetime64[us]").view("i8").view("u8"),
            (quantity.to_numpy(dtype="float64") + 0.0).view("u8"),  # -0.0 is 0.0
        ]
    )
    text = pd.DataFrame(
        {
            "event": event.str.strip().astype(object),
            "email": contact_email.str.strip().str.lower().astype(object),
        },
        index=index,
    )
    halves = []
    for flip, hash_key in zip((np.uint64(0), USAGE_KEY_FLIP), USAGE_KEY_HASH_KEYS, strict=True):
        frame = pd.DataFrame(numbers ^ flip, index=index, columns=["account", "at", "quantity"])
        frame = pd.concat([frame, text], axis=1)
        halves.append(pd.util.hash_pandas_object(frame, index=False, hash_key=hash_key))
    both = np.column_stack([half.to_numpy() for half in halves]).astype(">u8")
    # One hex string for the whole chunk, cut into 32-character keys: no per-row Python.
    keys = np.frombuffer(both.tobytes().hex().encode("ascii"), dtype="S32").astype(str)
    return "k:" + pd.Series(keys, index=index, dtype=object)


def finish(frame: pd.DataFrame, problems: Problems, columns: dict[str, pd.Series]) -> Checked:
    typed = pd.DataFrame(columns, index=frame.index)
    return Checked(rows=typed[~problems.bad], errors=problems.frame())
