"""Compare two scorings of the same accounts: which bands a scorecard change would move.

Pure: two summaries (indexed by account ID, with ``score`` and ``band`` columns, as
``scoring.score_accounts`` returns them) in, counts and the accounts that move out. The
scorecard editor shows this before an admin saves, so nobody finds out from the next
morning's alerts that a threshold tweak turned half the book red.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

#: How many moved accounts the preview lists; the counts always cover all of them.
PREVIEW_ROWS = 50


@dataclass(frozen=True)
class Transition:
    before: str
    after: str
    count: int


@dataclass(frozen=True)
class BandChange:
    account_id: int
    name: str
    before_band: str
    before_score: float | None
    after_band: str
    after_score: float | None


@dataclass(frozen=True)
class Comparison:
    #: Accounts compared (all accounts of the scorecard).
    accounts: int
    #: Accounts whose band differs.
    changed: int
    #: One entry per (before, after) pair that occurs, most frequent first.
    transitions: tuple[Transition, ...]
    #: The accounts that move, biggest score change first, at most ``limit`` of them.
    rows: tuple[BandChange, ...]

    @property
    def truncated(self) -> bool:
        return self.changed > len(self.rows)


def _score(value: float) -> float | None:
    return None if pd.isna(value) else float(value)


def compare(
    before: pd.DataFrame, after: pd.DataFrame, names: pd.Series, *, limit: int = PREVIEW_ROWS
) -> Comparison:
    """Band moves from ``before`` to ``after`` for the accounts of ``before``.

    An account missing from ``after`` is not compared (it cannot have been scored by the
    draft); ``names`` maps account ID to the name shown.
    """
    both = before[["score", "band"]].merge(
        after[["score", "band"]],
        how="inner",
        left_index=True,
        right_index=True,
        suffixes=("_before", "_after"),
    )
    moved = both[both["band_before"] != both["band_after"]].copy()
    counts = (
        moved.groupby(["band_before", "band_after"], sort=False)
        .size()
        .reset_index(name="count")
        .sort_values(["count", "band_before", "band_after"], ascending=[False, True, True])
    )
    # Scores going to or from "nothing scored" sort last, after every measurable move.
    moved["delta"] = (moved["score_after"] - moved["score_before"]).abs().fillna(-np.inf)
    moved["name"] = names.reindex(moved.index).fillna("").astype(str)
    moved = moved.sort_values(["delta", "name"], ascending=[False, True], kind="stable")
    rows = tuple(
        BandChange(
            account_id=int(account_id),
            name=row.name,
            before_band=row.band_before,
            before_score=_score(row.score_before),
            after_band=row.band_after,
            after_score=_score(row.score_after),
        )
        for account_id, row in zip(
            moved.index[:limit], moved.head(limit).itertuples(index=False), strict=True
        )
    )
    return Comparison(
        accounts=len(both),
        changed=len(moved),
        transitions=tuple(
            Transition(before=b, after=a, count=int(n))
            for b, a, n in counts.itertuples(index=False, name=None)
        ),
        rows=rows,
    )


# --- Combining the chunks of a preview job ------------------------------------------
#
# A preview of 100,000 accounts runs as a job whose chunks score a few thousand accounts
# each, on any worker, and keep their comparison as JSON. The whole comparison is the
# sum of the counts and the biggest moves among the chunks' own biggest moves: a chunk
# keeps its ``limit`` biggest, so the overall ``limit`` biggest are always among them.


def comparison_json(comparison: Comparison) -> dict[str, Any]:
    """A comparison as JSON-ready data (a job's result), read back by :func:`from_json`."""
    return {
        "accounts": comparison.accounts,
        "changed": comparison.changed,
        "transitions": [[t.before, t.after, t.count] for t in comparison.transitions],
        "rows": [
            [r.account_id, r.name, r.before_band, r.before_score, r.after_band, r.after_score]
            for r in comparison.rows
        ],
    }


def from_json(data: dict[str, Any]) -> Comparison:
    return Comparison(
        accounts=int(data["accounts"]),
        changed=int(data["changed"]),
        transitions=tuple(Transition(b, a, int(n)) for b, a, n in data["transitions"]),
        rows=tuple(BandChange(*row) for row in data["rows"]),
    )


def _move(row: BandChange) -> float:
    if row.before_score is None or row.after_score is None:
        return -np.inf  # to or from "nothing scored": after every measurable move
    return abs(row.after_score - row.before_score)


def merge(parts: Iterable[dict[str, Any]], *, limit: int = PREVIEW_ROWS) -> Comparison:
    """One comparison from the JSON of several (disjoint sets of accounts), ordered as
    :func:`compare` orders one: most frequent transition, biggest move, then name."""
    comparisons = [from_json(part) for part in parts]
    counts: Counter[tuple[str, str]] = Counter()
    for comparison in comparisons:
        for t in comparison.transitions:
            counts[(t.before, t.after)] += t.count
    transitions = sorted(counts.items(), key=lambda item: (-item[1], item[0][0], item[0][1]))
    rows = sorted(
        (row for comparison in comparisons for row in comparison.rows),
        key=lambda row: (-_move(row), row.name),
    )
    return Comparison(
        accounts=sum(c.accounts for c in comparisons),
        changed=sum(c.changed for c in comparisons),
        transitions=tuple(Transition(b, a, n) for (b, a), n in transitions),
        rows=tuple(rows[:limit]),
    )
