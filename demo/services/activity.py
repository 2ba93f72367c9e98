"""Over five months of demo activity (usage, tickets, survey answers) for the demo accounts.

Each account's activity follows its part in the cast (``demo.services.accounts.cast``): engaged
(steady use by most people), declining (use fading to a trickle over the last three
months, more urgent tickets), dormant (in use until five to seven weeks ago, then
silence) or a recent onboarding (use from its start; the late one never gets three
people sharing reports, the stuck one never connects its data). Everything lands through
the real ingestion pipeline, with stable IDs, so seeding twice adds nothing.

Why five months of usage when the stories play over the last three: the health demo
computes 100 days of history, and the oldest of those days still needs a full month of
usage behind it (active users, key events) and the month before that (usage trend).
Tickets and surveys come as often per day over the whole span.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
import pandas as pd

from accounts.models import Account, Source
from demo.cast import DECLINING, DORMANT, ENGAGED, LATE, STUCK, USAGE_DAYS, Part
from ingest.services.imports import import_records

DAYS = USAGE_DAYS
#: The declining story plays over the last this many days; before, every account uses
#: the product as its story starts.
STORY_DAYS = 90
#: A dormant account went silent this many days ago (drawn per account): long enough
#: that the last 30 days hold no event and the 30 before still do, so the usage trend
#: reads -100% and active users and key events read zero, whatever the day.
DORMANT_SINCE = (38, 50)
EVENTS = np.array(
    ["login", "report.viewed", "dashboard.created", "export.csv", "integration.synced",
     "alert.configured", "report.shared"]
)  # fmt: skip
#: The onboarding milestones' events (demo.services.onboarding): "Data connected" and first value.
CONNECT, SHARE, VIEW = "integration.synced", "report.shared", "report.viewed"
PROFILES = {
    # name: (event weights, ticket rate, NPS range)
    ENGAGED: ([0.3, 0.3, 0.08, 0.1, 0.12, 0.04, 0.06], 2, (8, 10)),
    DECLINING: ([0.55, 0.3, 0.02, 0.08, 0.03, 0.01, 0.01], 5, (4, 8)),
    DORMANT: ([0.7, 0.25, 0.01, 0.02, 0.01, 0.005, 0.005], 3, (0, 6)),
}


@dataclass(frozen=True)
class ActivitySummary:
    events: int
    tickets: int
    surveys: int


def _activity_share(usage: str, days: np.ndarray, quiet_from: int) -> np.ndarray:
    """Probability that a contact is active on each day (day 0 is ``DAYS`` days ago)."""
    story = days - (days.size - STORY_DAYS)  # day 0 of the story: STORY_DAYS ago
    if usage == ENGAGED:
        return np.full(days.shape, 0.6)
    if usage == DECLINING:
        return np.interp(story, [0, STORY_DAYS - 1], [0.7, 0.08])
    return np.where(days < quiet_from, 0.5, 0.0)


def _first_day(account: Account, start: date) -> int:
    """Index of the first day with activity: the account's start, if within the span."""
    if account.started_on is None:
        return 0
    return min(DAYS, max(0, (account.started_on - start).days))


def _usage(
    rng: np.random.Generator, account: Account, emails: list[str], part: Part, start: date
) -> pd.DataFrame:
    days = np.arange(DAYS)
    dates = pd.to_datetime([start + timedelta(days=int(d)) for d in days])
    weekday = np.where(dates.day_of_week < 5, 1.0, 0.25)
    quiet_from = DAYS - int(rng.integers(DORMANT_SINCE[0], DORMANT_SINCE[1] + 1))
    share = _activity_share(part.usage, days, quiet_from) * weekday
    share[: _first_day(account, start)] = 0.0
    active = rng.random((DAYS, len(emails))) < share[:, None]
    day_index, person = np.nonzero(active)
    per_person = rng.poisson(4, day_index.size) + 1
    day_index, person = np.repeat(day_index, per_person), np.repeat(person, per_person)
    if day_index.size == 0:
        return pd.DataFrame()
    weights = np.array(PROFILES[part.usage][0])
    events = rng.choice(EVENTS, size=day_index.size, p=weights / weights.sum())
    if part.journey == STUCK:
        # Never connected their data, so nothing downstream of it either.
        events = np.where(np.isin(events, [CONNECT, SHARE]), VIEW, events)
    elif part.journey == LATE:
        # Reports are shared by two people only: first value needs three.
        events = np.where((events == SHARE) & (person >= 2), VIEW, events)
    seconds = rng.integers(8 * 3600, 19 * 3600, day_index.size)
    moments = dates[day_index] + pd.to_timedelta(seconds, unit="s")
    sequence = pd.Series(np.arange(day_index.size)).astype(str)
    return pd.DataFrame(
        {
            "account_external_id": account.external_id,
            "event": events,
            "occurred_at": moments.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "contact_email": np.array(emails)[person],
            "message_id": f"demo-{account.external_id}-{start:%Y%m%d}-" + sequence,
        }
    )


def _tickets(
    rng: np.random.Generator, account: Account, usage: str, start: date, today: date
) -> list[dict]:
    rows = []
    urgent_share = 0.25 if usage != ENGAGED else 0.05
    first = _first_day(account, start)
    # The profile's rate is per three months of story: as many per day over all DAYS.
    for number in range(rng.poisson(PROFILES[usage][1] * (DAYS - first) / STORY_DAYS)):
        opened = datetime.combine(start, time(9), tzinfo=None) + timedelta(
            days=int(rng.integers(first, DAYS)), hours=int(rng.integers(0, 9))
        )
        age = (today - opened.date()).days
        responded = opened + timedelta(hours=int(rng.integers(1, 9)))
        closed = opened + timedelta(days=int(rng.integers(1, 6)))
        priority = rng.choice(
            ["urgent", "high", "normal", "low"], p=[urgent_share, 0.2, 0.55 - urgent_share, 0.25]
        )
        solved = age > 7 and rng.random() < 0.85
        rows.append(
            {
                "external_id": f"DEMO-T-{account.external_id}-{number}",
                "account_external_id": account.external_id,
                "subject": rng.choice(
                    [
                        "Export times out",
                        "SSO login loop",
                        "Dashboard shows stale data",
                        "Question about seats",
                        "Integration sync failing",
                        "Report formatting",
                    ]
                ),
                "priority": priority,
                "status": "solved" if solved else rng.choice(["open", "pending"]),
                "opened_at": opened.isoformat() + "Z",
                "first_response_at": responded.isoformat() + "Z",
                "solved_at": closed.isoformat() + "Z" if solved else "",
            }
        )
    return rows


def _surveys(
    rng: np.random.Generator, account: Account, emails: list[str], usage: str, start: date
) -> list[dict]:
    low, high = PROFILES[usage][2]
    first = _first_day(account, start)
    if first >= DAYS:
        return []
    return [
        {
            "external_id": f"DEMO-S-{account.external_id}-{number}",
            "account_external_id": account.external_id,
            "kind": "nps",
            "score": int(rng.integers(low, high + 1)),
            "responded_at": f"{start + timedelta(days=int(rng.integers(first, DAYS)))}T12:00:00Z",
            "contact_email": emails[int(rng.integers(0, len(emails)))] if emails else "",
            "comment": "",
        }
        for number in range(int(rng.integers(1, 4)) * DAYS // STORY_DAYS)
    ]


def seed_activity(
    *, accounts: list[Account], parts: Mapping[int, Part], seed: int, today: date
) -> ActivitySummary:
    """Import every account's activity, as its part (by account ID) calls for."""
    rng = np.random.default_rng(seed)
    start = today - timedelta(days=DAYS)
    emails = {
        account.pk: list(account.contacts.exclude(email="").values_list("email", flat=True))
        for account in accounts
    }
    usage, tickets, surveys = [], [], []
    for account in accounts:
        part = parts[account.pk]
        usage.append(_usage(rng, account, emails[account.pk], part, start))
        tickets += _tickets(rng, account, part.usage, start, today)
        surveys += _surveys(rng, account, emails[account.pk], part.usage, start)
    frames = [part for part in usage if not part.empty]
    records = pd.concat(frames, ignore_index=True).to_dict("records") if frames else []
    jobs = [
        import_records(kind="usage", records=records, source=Source.API),
        import_records(kind="tickets", records=tickets, source=Source.API),
        import_records(kind="surveys", records=surveys, source=Source.API),
    ]
    return ActivitySummary(*(job.rows_inserted + job.rows_duplicate for job in jobs))
