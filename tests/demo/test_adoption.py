"""The demo's usage after a ship: pure generation, no database."""

from datetime import date

import numpy as np
import pandas as pd

from demo.services.adoption import ADOPTION_SHARE, RAMP_DAYS, _adoption

SHIP = date(2026, 9, 1)
TODAY = date(2026, 11, 23)


def _use(seed: int = 1, **changes) -> pd.DataFrame:
    options = {
        "external_id": "ACME",
        "prefix": "demo-adopt-x-ACME-20260901-",
        "emails": [f"p{n}@acme.test" for n in range(20)],
        "event": "export.csv",
        "ship": SHIP,
        "today": TODAY,
    } | changes
    return _adoption(np.random.default_rng(seed), **options)


def test_use_starts_after_the_ship_ends_before_today_and_ramps_up():
    frame = _use()
    days = pd.to_datetime(frame["occurred_at"]).dt.date
    assert days.min() > SHIP
    assert days.max() < TODAY
    assert set(frame["event"]) == {"login", "export.csv"}
    assert frame["message_id"].is_unique
    assert frame["message_id"].str.startswith("demo-adopt-x-ACME-20260901-").all()
    # Each active person-day starts with one login.
    logins = frame[frame["event"] == "login"]
    person_days = frame.assign(day=days).drop_duplicates(["contact_email", "day"])
    assert len(logins) == len(person_days)
    # Fewer people in the first week than once adopted.
    active = frame.assign(day=days).groupby("day")["contact_email"].nunique()
    weekdays = active[[pd.Timestamp(day).day_of_week < 5 for day in active.index]]
    early = weekdays[weekdays.index < date(2026, 9, 8)].mean()
    late = weekdays[weekdays.index > date(2026, 9, 1 + RAMP_DAYS)].mean()
    assert early < late
    assert abs(late / 20 - ADOPTION_SHARE) < 0.08


def test_same_seed_same_use_and_nothing_without_days_or_people():
    pd.testing.assert_frame_equal(_use(), _use())
    assert _use(ship=date(2026, 11, 22)).empty
    assert _use(emails=[]).empty
