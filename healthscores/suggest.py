"""Weights the outcomes suggest for the scorecard's measures, and whether they would do
better than today's score on accounts they were not fitted to.

The method: an L2-regularised logistic regression of churn on the measures' scores
(0-100, standardised; a missing score takes the column's mean, so it pulls neither
way), fitted by Newton's method, which converges in a few steps on a dozen columns.
A measure whose higher score means less churn gets the weight of its coefficient's
size; one that pushes the wrong way (or not at all) gets none, since a scorecard
weight cannot be negative. Weights are shares summing to 100.

The judge is cross-validation over accounts: the folds split accounts, not outcomes,
so an account that renewed twice never helps predict itself. Each fold's weights score
its held-out rows as the scorecard would (the weighted mean of the available measure
scores), and the pooled held-out ROC AUC is set beside the AUC of the stored score on
the same rows. Plain numpy, no ORM.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from healthscores.backtest import CHURNED, MEASURE_PREFIX, measure_columns, roc_auc

#: Below this many churned accounts a fit describes the sample, not churn.
MIN_CHURNED = 20
FOLDS = 5
#: Strength of the L2 penalty on the standardised coefficients.
L2 = 1.0
NEWTON_STEPS = 25


@dataclass(frozen=True)
class Suggestion:
    churned: int
    #: Fewer than MIN_CHURNED churned accounts: no figures are given.
    too_small: bool
    #: measure key -> share of the weight (0-100), largest first.
    weights: dict[str, float]
    #: Held-out ROC AUC of the stored score and of the suggested weights.
    auc_current: float | None = None
    auc_suggested: float | None = None


def fit_logistic(x: np.ndarray, y: np.ndarray, *, l2: float = L2) -> np.ndarray:
    """Coefficients (intercept first) of an L2-penalised logistic regression; the
    intercept is not penalised."""
    design = np.column_stack([np.ones(len(x)), x])
    beta = np.zeros(design.shape[1])
    penalty = np.full(design.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(NEWTON_STEPS):
        p = 1.0 / (1.0 + np.exp(-(design @ beta)))
        gradient = design.T @ (p - y) + penalty * beta
        hessian = (design * (p * (1 - p))[:, None]).T @ design + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return beta


def weights_from(scores: pd.DataFrame, churned: np.ndarray) -> pd.Series:
    """Shares (summing to 100) of the measures from one fit; all zero if none helps."""
    filled = scores.fillna(scores.mean()).fillna(50.0)
    spread = filled.std(ddof=0).replace(0, 1.0)
    standardised = ((filled - filled.mean()) / spread).to_numpy()
    beta = fit_logistic(standardised, churned.astype(float))[1:]
    # Per point of score, as the scorecard weighs raw 0-100 scores.
    strength = np.clip(-beta / spread.to_numpy(), 0, None)
    total = strength.sum()
    shares = 100 * strength / total if total > 0 else strength
    return pd.Series(shares, index=scores.columns)


def weighted_score(scores: pd.DataFrame, weights: pd.Series) -> pd.Series:
    """The scorecard's arithmetic: weights renormalised over the measures with data."""
    present = scores.notna()
    used = present.mul(weights, axis=1).sum(axis=1)
    total = scores.fillna(0).mul(weights, axis=1).sum(axis=1)
    return (total / used).where(used > 0)


def suggest_weights(rows: pd.DataFrame, *, folds: int = FOLDS) -> Suggestion:
    """Suggested weights from the backtest rows (``backtest.ROW_COLUMNS`` and measures)."""
    rows = rows.reset_index(drop=True)
    churned = rows["outcome"].eq(CHURNED).to_numpy()
    count = int(churned.sum())
    columns = measure_columns(rows)
    if count < MIN_CHURNED or not columns or count == len(rows):
        return Suggestion(churned=count, too_small=True, weights={})
    scores = rows[columns].rename(columns=lambda c: c[len(MEASURE_PREFIX) :])
    # Folds of accounts, assigned by a hash of the ID: stable from one load to the next.
    fold = pd.util.hash_array(rows["account_id"].to_numpy().astype("int64")) % folds
    held_out = pd.Series(np.nan, index=rows.index)
    for k in range(folds):
        test = fold == k
        train = ~test
        if not test.any() or churned[train].sum() == 0 or churned[train].all():
            continue
        weights = weights_from(scores[train], churned[train])
        if weights.sum() > 0:
            held_out[test] = weighted_score(scores[test], weights).to_numpy()
    evaluated = held_out.notna().to_numpy()
    outcome = pd.Series(churned)
    final = weights_from(scores, churned).round(1).sort_values(ascending=False)
    return Suggestion(
        churned=count,
        too_small=False,
        weights={str(key): float(share) for key, share in final.items()},
        auc_current=roc_auc(-rows["score"][evaluated], outcome[evaluated]),
        auc_suggested=roc_auc(-held_out[evaluated], outcome[evaluated]),
    )
