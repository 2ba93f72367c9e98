"""Product-risk rules: from per-(idea, account) evidence to flags and their severity.

Pure computation — pandas in, pandas out, no ORM — so the rule is tested without a
database and the recompute (``productrisk.services.flags``) only moves data.

Evidence
    One row per reason an account is behind an idea: a vote (by any of its contacts,
    cast by the customer or added by a CSM on their behalf) or a linked support ticket.
    :func:`collapse` folds them into one row per distinct (idea, account), so an account
    counts once however many contacts voted, whoever cast the vote, and whether it also
    opened a ticket.

Per idea (:func:`summarize`)
    * accounts affected — distinct accounts;
    * ARR affected — their ARR;
    * ARR at risk — the ARR of those that are red or yellow, or renew within the rule's
      window (``renews_soon``, decided by the evidence query);
    * red / yellow / renewing / late-onboarding counts.

The rule (admin-editable, :class:`Rule`)
    A flag **fires** when ``accounts_affected >= min_accounts`` or, for a few big
    accounts, when ``arr_affected >= arr_threshold`` (a threshold of 0 turns that second
    path off). Defaults: 3 accounts or 250,000 of ARR.

Severity score, 0-100 (:func:`score`)
    ::

        score = 50 · min(1, arr_at_risk / arr_reference)
              + 30 · min(1, red_accounts / min_accounts)
              + 20 · min(1, renewing_accounts / min_accounts)

    ARR at risk weighs most (full 50 points at ``arr_reference``, default 500,000); red
    accounts and accounts renewing soon add up to 30 and 20 points, full once as many of
    them as it takes to open a flag are behind the idea. Counts, not shares, so the
    score never falls when one more account joins: every term only rises with ARR at
    risk, red accounts and near renewals. Yellow accounts count through ARR at risk.
    **Severity** is high at ``score >= high_score`` (default 65), medium at
    ``score >= medium_score`` (default 35), else low.

:func:`explain` words all of this for the pages, with a flag's own numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import formats

#: The evidence columns, one row per (idea, account, reason) or already per pair.
EVIDENCE_COLUMNS = [
    "idea_id",
    "account_id",
    "by_vote",
    "by_ticket",
    "arr",
    "band",
    "renews_soon",
    "late_onboarding",
]
#: What :func:`summarize` returns per idea (the frame's index is ``idea_id``).
SUMMARY_COLUMNS = [
    "accounts_affected",
    "arr_affected",
    "arr_at_risk",
    "red_accounts",
    "yellow_accounts",
    "renewing_accounts",
    "late_onboardings",
    "fires",
    "score",
    "severity",
]

ARR_POINTS = 50.0
RED_POINTS = 30.0
RENEWAL_POINTS = 20.0

LOW, MEDIUM, HIGH = "low", "medium", "high"
#: Severities in rising order; ``severity_rank`` compares them ("" ranks below all).
SEVERITIES = (LOW, MEDIUM, HIGH)
AT_RISK_BANDS = ("red", "yellow")


def severity_label(value: str) -> str:
    return {LOW: _("low"), MEDIUM: _("medium"), HIGH: _("high")}.get(value, value)


def severity_rank(severity: str) -> int:
    """0 for none, then 1, 2, 3 for low, medium, high."""
    return SEVERITIES.index(severity) + 1 if severity in SEVERITIES else 0


@dataclass(frozen=True)
class Rule:
    """The editable rule, as plain numbers (see the module docstring)."""

    min_accounts: int = 3
    arr_threshold: float = 250_000.0
    renewal_window_days: int = 90
    arr_reference: float = 500_000.0
    medium_score: float = 35.0
    high_score: float = 65.0

    @classmethod
    def of(cls, source: Any) -> Rule:
        """A Rule from anything with the same attributes (the ``RiskRule`` row)."""
        if isinstance(source, Rule):
            return source
        return cls(
            min_accounts=int(source.min_accounts),
            arr_threshold=float(source.arr_threshold),
            renewal_window_days=int(source.renewal_window_days),
            arr_reference=float(source.arr_reference),
            medium_score=float(source.medium_score),
            high_score=float(source.high_score),
        )

    @property
    def count_reference(self) -> int:
        return max(1, self.min_accounts)


def empty_evidence() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "idea_id": pd.Series(dtype="int64"),
            "account_id": pd.Series(dtype="int64"),
            "by_vote": pd.Series(dtype="bool"),
            "by_ticket": pd.Series(dtype="bool"),
            "arr": pd.Series(dtype="float64"),
            "band": pd.Series(dtype="object"),
            "renews_soon": pd.Series(dtype="bool"),
            "late_onboarding": pd.Series(dtype="bool"),
        }
    )


def collapse(evidence: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct (idea, account): the reasons OR-ed, the account's facts kept.

    Sorted by (idea_id, account_id), with a fresh index. Several contacts of one account,
    a customer's and a CSM's vote, or a vote and a ticket are one affected account.
    """
    if evidence.empty:
        return empty_evidence()
    frame = evidence[EVIDENCE_COLUMNS].copy()
    for column in ("by_vote", "by_ticket", "renews_soon", "late_onboarding"):
        frame[column] = frame[column].fillna(False).astype(bool)
    frame["arr"] = frame["arr"].fillna(0).astype("float64")
    frame["band"] = frame["band"].fillna("").astype(str)
    grouped = frame.groupby(["idea_id", "account_id"], sort=True, as_index=False).agg(
        by_vote=("by_vote", "any"),
        by_ticket=("by_ticket", "any"),
        arr=("arr", "max"),
        band=("band", "max"),
        renews_soon=("renews_soon", "any"),
        late_onboarding=("late_onboarding", "any"),
    )
    grouped["idea_id"] = grouped["idea_id"].astype("int64")
    grouped["account_id"] = grouped["account_id"].astype("int64")
    return grouped


def score(
    rule: Rule,
    *,
    arr_at_risk: pd.Series | np.ndarray | float,
    red_accounts: pd.Series | np.ndarray | float,
    renewing_accounts: pd.Series | np.ndarray | float,
) -> Any:
    """The 0-100 severity score (scalars or vectors alike); see the module docstring."""
    arr_part = ARR_POINTS * np.minimum(
        1.0, np.asarray(arr_at_risk, dtype="float64") / max(rule.arr_reference, 1.0)
    )
    red_part = RED_POINTS * np.minimum(
        1.0, np.asarray(red_accounts, dtype="float64") / rule.count_reference
    )
    renewal_part = RENEWAL_POINTS * np.minimum(
        1.0, np.asarray(renewing_accounts, dtype="float64") / rule.count_reference
    )
    total = np.round(arr_part + red_part + renewal_part, 2)
    if isinstance(arr_at_risk, pd.Series):
        return pd.Series(total, index=arr_at_risk.index)
    return float(total) if np.ndim(total) == 0 else total


def severity(rule: Rule, scores: pd.Series | np.ndarray | float) -> Any:
    """low / medium / high for each score."""
    values = np.asarray(scores, dtype="float64")
    labels = np.where(
        values >= rule.high_score, HIGH, np.where(values >= rule.medium_score, MEDIUM, LOW)
    )
    if isinstance(scores, pd.Series):
        return pd.Series(labels, index=scores.index, dtype="object")
    return str(labels) if np.ndim(labels) == 0 else labels


def fires(rule: Rule, *, accounts_affected: Any, arr_affected: Any) -> Any:
    """Whether the rule opens a flag: enough accounts, or enough ARR (threshold > 0)."""
    accounts = np.asarray(accounts_affected)
    arr = np.asarray(arr_affected, dtype="float64")
    by_arr = (arr >= rule.arr_threshold) if rule.arr_threshold > 0 else np.zeros_like(arr, bool)
    result = (accounts >= rule.min_accounts) | (by_arr & (accounts > 0))
    if isinstance(accounts_affected, pd.Series):
        return pd.Series(result, index=accounts_affected.index)
    return bool(result) if np.ndim(result) == 0 else result


def summarize(pairs: pd.DataFrame, rule: Rule) -> pd.DataFrame:
    """Per idea (index ``idea_id``): the counts, ARR, whether the rule fires, the score and
    severity. ``pairs`` is :func:`collapse`'s output (collapsed again if it is not).

    ARR is summed in whole cents (int64), so totals are exact whatever the number of
    accounts, and returned in currency units rounded to cents.
    """
    if pairs.empty:
        return pd.DataFrame(
            {column: pd.Series(dtype="float64") for column in SUMMARY_COLUMNS},
            index=pd.Index([], dtype="int64", name="idea_id"),
        )
    if pairs.duplicated(["idea_id", "account_id"]).any():
        pairs = collapse(pairs)
    band = pairs["band"].fillna("")
    red = band.eq("red")
    yellow = band.eq("yellow")
    renewing = pairs["renews_soon"].astype(bool)
    at_risk = red | yellow | renewing
    cents = (pairs["arr"].fillna(0).astype("float64") * 100).round().astype("int64")
    work = pd.DataFrame(
        {
            "idea_id": pairs["idea_id"].to_numpy(),
            "cents": cents.to_numpy(),
            "risk_cents": np.where(at_risk, cents, 0),
            "red": red.to_numpy(),
            "yellow": yellow.to_numpy(),
            "renewing": renewing.to_numpy(),
            "late": pairs["late_onboarding"].astype(bool).to_numpy(),
        }
    )
    sums = work.groupby("idea_id", sort=True).agg(
        accounts_affected=("cents", "size"),
        arr_cents=("cents", "sum"),
        risk_cents=("risk_cents", "sum"),
        red_accounts=("red", "sum"),
        yellow_accounts=("yellow", "sum"),
        renewing_accounts=("renewing", "sum"),
        late_onboardings=("late", "sum"),
    )
    out = pd.DataFrame(index=sums.index)
    out["accounts_affected"] = sums["accounts_affected"].astype("int64")
    out["arr_affected"] = sums["arr_cents"] / 100
    out["arr_at_risk"] = sums["risk_cents"] / 100
    for column in ("red_accounts", "yellow_accounts", "renewing_accounts", "late_onboardings"):
        out[column] = sums[column].astype("int64")
    out["fires"] = fires(
        rule, accounts_affected=out["accounts_affected"], arr_affected=out["arr_affected"]
    )
    out["score"] = score(
        rule,
        arr_at_risk=out["arr_at_risk"],
        red_accounts=out["red_accounts"],
        renewing_accounts=out["renewing_accounts"],
    )
    out["severity"] = severity(rule, out["score"])
    return out


# --- Explaining it on the pages ---------------------------------------------------


@dataclass(frozen=True)
class ScorePart:
    """One term of the score: what it measures, the points it gives, its maximum."""

    key: str
    label: str
    points: float
    max_points: float
    detail: str


def _get(numbers: Any, name: str) -> Any:
    if isinstance(numbers, Mapping):
        return numbers.get(name, 0)
    return getattr(numbers, name, 0)


def score_parts(rule: Any, numbers: Any) -> list[ScorePart]:
    """The three terms of a flag's score. ``numbers`` is a ProductRisk, a summary row or a
    mapping with ``arr_at_risk``, ``red_accounts`` and ``renewing_accounts``."""
    rule = Rule.of(rule)
    arr_at_risk = float(_get(numbers, "arr_at_risk") or 0)
    red = int(_get(numbers, "red_accounts") or 0)
    renewing = int(_get(numbers, "renewing_accounts") or 0)
    reference = rule.count_reference
    return [
        ScorePart(
            "arr",
            _("ARR at risk"),
            round(ARR_POINTS * min(1.0, arr_at_risk / max(rule.arr_reference, 1.0)), 2),
            ARR_POINTS,
            _("%(value)s of %(reference)s for full weight")
            % {"value": formats.money(arr_at_risk), "reference": formats.money(rule.arr_reference)},
        ),
        ScorePart(
            "red",
            _("Red accounts"),
            round(RED_POINTS * min(1.0, red / reference), 2),
            RED_POINTS,
            _("%(count)d of %(reference)d for full weight")
            % {"count": red, "reference": reference},
        ),
        ScorePart(
            "renewing",
            ngettext(
                "Renewing within %(days)d day",
                "Renewing within %(days)d days",
                rule.renewal_window_days,
            )
            % {"days": rule.renewal_window_days},
            round(RENEWAL_POINTS * min(1.0, renewing / reference), 2),
            RENEWAL_POINTS,
            _("%(count)d of %(reference)d for full weight")
            % {"count": renewing, "reference": reference},
        ),
    ]


def explain(rule: Any, numbers: Any = None) -> list[str]:
    """The rule and the score formula in words, one sentence per line; with ``numbers``
    (a ProductRisk or a mapping of its counters), also how that flag's score adds up."""
    rule = Rule.of(rule)
    lines = [
        (
            ngettext(
                "A flag opens when at least %(accounts)d distinct account is affected (by a "
                "vote of any of its contacts, a vote a CSM added for it, or a linked ticket), "
                "or when the affected accounts' ARR reaches %(arr)s.",
                "A flag opens when at least %(accounts)d distinct accounts are affected (by a "
                "vote of any of their contacts, a vote a CSM added for them, or a linked "
                "ticket; each account counts once), or when the affected accounts' ARR "
                "reaches %(arr)s.",
                rule.min_accounts,
            )
            if rule.arr_threshold > 0
            else ngettext(
                "A flag opens when at least %(accounts)d distinct account is affected (by a "
                "vote of any of its contacts, a vote a CSM added for it, or a linked ticket).",
                "A flag opens when at least %(accounts)d distinct accounts are affected (by a "
                "vote of any of their contacts, a vote a CSM added for them, or a linked "
                "ticket; each account counts once).",
                rule.min_accounts,
            )
        )
        % {"accounts": rule.min_accounts, "arr": formats.money(rule.arr_threshold)},
        ngettext(
            "ARR at risk is the ARR of the affected accounts that are red or yellow, or "
            "renew within %(days)d day.",
            "ARR at risk is the ARR of the affected accounts that are red or yellow, or "
            "renew within %(days)d days.",
            rule.renewal_window_days,
        )
        % {"days": rule.renewal_window_days},
        _(
            "Severity score (0-100) = 50 x min(1, ARR at risk ÷ %(reference)s) + 30 x "
            "min(1, red accounts ÷ %(count)d) + 20 x min(1, accounts renewing soon ÷ %(count)d)."
        )
        % {"reference": formats.money(rule.arr_reference), "count": rule.count_reference},
        _("Severity is high from a score of %(high)s, medium from %(medium)s, low below.")
        % {
            "high": formats.number(rule.high_score, -2),
            "medium": formats.number(rule.medium_score, -2),
        },
    ]
    if numbers is not None:
        parts = score_parts(rule, numbers)
        total = round(sum(part.points for part in parts), 2)
        lines += [
            _("%(label)s: %(points)s of %(max)s points (%(detail)s).")
            % {
                "label": part.label,
                "points": formats.number(part.points, -2),
                "max": formats.number(part.max_points, -2),
                "detail": part.detail,
            }
            for part in parts
        ]
        lines.append(
            _("Score %(score)s: %(severity)s.")
            % {
                "score": formats.number(total, -2),
                "severity": severity_label(severity(rule, total)),
            }
        )
    return lines
