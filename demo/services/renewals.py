"""A year of renewal outcomes, and the daily health history before them, so that the
scorecard report ("does red predict churn?") tells a true story on the demo.

The stories are cast, not drawn: whatever the seed and the day, some accounts churned
after months in red (the warnings that worked), a few churned while green (the misses
the report lists), some red accounts were saved, a few yellow ones went either way, and
most green accounts renewed or expanded. Red is then a real but imperfect signal: its
precision and recall are neither 0 nor 1.

Each renewal falls 160 to 365 days ago, so the days the report looks back to (30 to 90
days before it) come before the history the health demo computes
(:data:`demo.services.health.HISTORY_DAYS`). Those older days are written here, scored
by the real scorecards (``healthscores.services.history_write``) from raw measure values
laid out to fit each story, in one upsert: recomputing a year day by day would cost
minutes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pandas as pd
from django.db import transaction

from accounts.models import Account, AccountQuerySet, RenewalOutcome
from demo.cast import DECLINING, DORMANT, ENGAGED, Part
from demo.services.accounts import cast_of
from demo.services.health import HISTORY_DAYS
from healthscores.models import HealthSnapshot, Scorecard
from healthscores.services import ScorecardDraft, draft_of, history_write, today_utc

#: Renewals fall this many days ago: the newest is 60 days before the computed history
#: starts, so its 30-, 60- and 90-day horizons read the days written here.
RENEWED_DAYS_AGO = (HISTORY_DAYS + 60, 365)
#: Days of history written before the oldest renewal: the yellow past it slid from, 150
#: days before it, into the band it had at its 30-, 60- and 90-day horizons.
LEAD_DAYS = 160

CHURNED_RED = "churned_red"
MISSED = "missed"
CHURNED_YELLOW = "churned_yellow"
SAVED_RED = "saved_red"
RENEWED_YELLOW = "renewed_yellow"
RENEWED_GREEN = "renewed_green"
#: Story -> (band in the 120 days before the renewal, outcomes it ends in).
STORIES: dict[str, tuple[str, tuple[str, ...]]] = {
    CHURNED_RED: ("red", ("churned",)),
    MISSED: ("green", ("churned",)),
    CHURNED_YELLOW: ("yellow", ("churned",)),
    SAVED_RED: ("red", ("renewed", "contracted")),
    RENEWED_YELLOW: ("yellow", ("renewed", "contracted", "renewed")),
    RENEWED_GREEN: ("green", ("renewed", "expanded", "renewed")),
}
#: Each story's share of the book (the rest renew green), and the least it gets: a
#: small book still tells every story.
SHARES = {
    CHURNED_RED: (0.13, 2),
    MISSED: (0.05, 1),
    CHURNED_YELLOW: (0.03, 1),
    SAVED_RED: (0.07, 1),
    RENEWED_YELLOW: (0.15, 1),
}
#: Where today's story (demo.cast) leaves each account when the computed history starts.
LEVEL_NOW = {ENGAGED: "green", DECLINING: "yellow", DORMANT: "red"}


@dataclass(frozen=True)
class RenewalsDemoSummary:
    outcomes: int
    churned: int
    snapshots: int


def stories(count: int, seed: int) -> list[str]:
    """The renewal story of each of ``count`` accounts, in the order given."""
    told: list[str] = []
    for story, (share, least) in SHARES.items():
        told += [story] * max(least, round(share * count))
    told = told[:count] + [RENEWED_GREEN] * max(0, count - len(told))
    random.Random(f"renewals-{seed}").shuffle(told)
    return told


def _level(band: str, config: ScorecardDraft) -> float:
    """A score well inside ``band`` of ``config``."""
    if band == "red":
        return config.red_below / 2
    if band == "green":
        return (config.green_from + 100) / 2 + 2
    return (config.red_below + config.green_from) / 2


def _raw_for(score: np.ndarray, points: tuple[tuple[float, float], ...]) -> np.ndarray:
    """Raw values the thresholds score as ``score`` (the nearest reachable score where a
    step or a flat end leaves a gap): the inverse of ``scoring.threshold_scores``."""
    xs = np.array([p[0] for p in points], dtype="float64")
    ys = np.array([p[1] for p in points], dtype="float64")
    raw = np.full(score.shape, np.nan)
    best = np.full(score.shape, np.inf)
    for x0, x1, y0, y1 in zip(xs[:-1], xs[1:], ys[:-1], ys[1:], strict=True):
        if x1 > x0 and y1 != y0:
            t = np.clip((score - y0) / (y1 - y0), 0, 1)
            candidate, reached = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
        else:
            candidate, reached = np.full(score.shape, x1), np.full(score.shape, y1)
        gap = np.abs(reached - score)
        better = gap < best
        raw, best = np.where(better, candidate, raw), np.where(better, gap, best)
    for x, y in ((xs[0], ys[0]), (xs[-1], ys[-1])):
        gap = np.abs(y - score)
        better = gap < best
        raw, best = np.where(better, x, raw), np.where(better, gap, best)
    return raw


def _history(
    accounts: list[Account],
    told: list[str],
    renewed: list[date],
    parts: dict[int, Part],
    days: list[date],
    seed: int,
) -> pd.DataFrame:
    """The raw measure values of every account on every day, laid out to its story by
    the thresholds of its scorecard: the band it had before its renewal held from 120
    days to the day, eased in from a yellow past over 30 days, and eased over the two
    months after towards today's story."""
    drafts = {s.segment: draft_of(s, s.measures.all()) for s in Scorecard.objects.all()}
    ordinal = np.array([day.toordinal() for day in days], dtype="float64")
    first, last = ordinal[0], ordinal[-1]
    rng = np.random.default_rng(seed)
    frames = []
    for account, story, renewal in zip(accounts, told, renewed, strict=True):
        config = drafts.get(account.segment, drafts[""])
        yellow = _level("yellow", config)
        then = _level(STORIES[story][0], config)
        now = _level(LEVEL_NOW[parts.get(account.pk, Part(ENGAGED)).usage], config)
        r = renewal.toordinal()
        keys = [first, r - 150, r - 120, r, min(r + 60, last), last + 1]
        path = np.interp(ordinal, keys, [yellow, yellow, then, then, now, now])
        raw = {}
        for measure in config.measures:
            offset = rng.uniform(-6, 6)
            noise = rng.uniform(-3, 3, len(days))
            raw[measure.kind] = _raw_for(np.clip(path + offset + noise, 0, 100), measure.points)
        frame = pd.DataFrame(raw)
        frame["account_id"] = account.pk
        frame["day"] = days
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _outcome(account: Account, story: str, renewal: date, rng: random.Random) -> RenewalOutcome:
    kind = rng.choice(STORIES[story][1])
    arr = account.arr
    before, after = {
        "churned": (arr, Decimal(0)),
        "renewed": (arr, arr),
        "expanded": ((arr * Decimal("0.8")).quantize(Decimal(1)), arr),
        "contracted": ((arr * Decimal("1.25")).quantize(Decimal(1)), arr),
    }[kind]
    return RenewalOutcome(
        account=account,
        renewed_on=renewal,
        outcome=kind,
        arr_before=before,
        arr_after=after,
        recorded_by=account.csm_owner,
    )


@transaction.atomic
def seed_renewals_demo(
    *, accounts: AccountQuerySet | None = None, seed: int = 42
) -> RenewalsDemoSummary:
    """Idempotent: the accounts' outcomes and their history before the computed days
    are replaced. Run after the health demo (its scorecards score the history)."""
    rng = random.Random(f"renewals-{seed}")
    today = today_utc()
    accounts_list = list(
        (accounts or Account.objects.all()).select_related("csm_owner").order_by("pk")
    )
    told = stories(len(accounts_list), seed)
    renewed = [today - timedelta(days=rng.randint(*RENEWED_DAYS_AGO)) for _ in accounts_list]
    computed_from = today - timedelta(days=HISTORY_DAYS - 1)
    start = today - timedelta(days=RENEWED_DAYS_AGO[1] + LEAD_DAYS)
    days = [start + timedelta(days=n) for n in range((computed_from - start).days)]

    ids = [account.pk for account in accounts_list]
    RenewalOutcome.objects.filter(account__in=ids).delete()
    HealthSnapshot.objects.filter(account__in=ids, day__lt=computed_from).delete()
    snapshots = history_write(_history(accounts_list, told, renewed, cast_of(seed), days, seed))
    outcomes = RenewalOutcome.objects.bulk_create(
        [
            _outcome(account, story, renewal, rng)
            for account, story, renewal in zip(accounts_list, told, renewed, strict=True)
        ]
    )
    return RenewalsDemoSummary(
        outcomes=len(outcomes),
        churned=sum(o.outcome == RenewalOutcome.Outcome.CHURNED for o in outcomes),
        snapshots=snapshots,
    )
