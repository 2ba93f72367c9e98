"""After a gap ships, the accounts that asked for it start using it: the demo usage that
makes the "impact after shipping" story true rather than drawn.

For each flag of the feedback demo that shipping resolved, the contacts of the accounts
behind it (the flag's evidence, frozen at shipping) use the shipped feature from the day
after it shipped until yesterday: on a working day each contact is active with a
probability that ramps up to ``ADOPTION_SHARE`` over ``RAMP_DAYS``, with a login and a
few events of the feature's kind. The events land through the real ingestion pipeline
with stable message IDs (seeding twice adds nothing); the health history computed
afterwards scores them like any other usage. Nothing here writes a score, so how much
health moves is whatever the scorecards make of the extra use (active users, usage
trend, key events).

Run after ``demo.services.board`` and before the health history (see the ``seed_demo``
command).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd
from django.db import transaction
from django.utils.text import slugify

from accounts.models import Contact, Source
from demo.services.board import TITLES
from feedback.models import IdeaStatus, StatusChange
from ingest.services.imports import import_records
from productrisk.models import ProductRisk, ProductRiskAccount

#: The usage event that shows a shipped idea in use, by title (else a report view).
FEATURE_EVENTS = {
    "Scheduled report exports to e-mail, S3 and SFTP": "export.csv",
    "Slack alerts when a health score drops": "alert.configured",
    "Bulk edit accounts from the portfolio table": "report.shared",
    "Zendesk ticket sync": "integration.synced",
    "Export any table to CSV": "export.csv",
}
DEFAULT_EVENT = "report.viewed"
#: Share of an asking account's contacts using the feature on a working day, once
#: adopted, and the days adoption takes to get there.
ADOPTION_SHARE = 0.3
RAMP_DAYS = 14


def _shipped_flags() -> list[tuple[int, str, date]]:
    """(idea id, title, ship day) of the demo's ideas whose flags shipping resolved."""
    rows = (
        StatusChange.objects.filter(
            to_status=IdeaStatus.SHIPPED,
            idea__title__in=TITLES,
            idea__risk__status=ProductRisk.Status.RESOLVED,
        )
        .order_by("idea__title", "created_at")
        .values_list("idea_id", "idea__title", "created_at")
    )
    days = {idea_id: (title, at.astimezone(UTC).date()) for idea_id, title, at in rows}
    return [(idea_id, title, day) for idea_id, (title, day) in days.items()]


def _adoption(
    rng: np.random.Generator,
    *,
    external_id: str,
    prefix: str,
    emails: list[str],
    event: str,
    ship: date,
    today: date,
) -> pd.DataFrame:
    """One account's use of one feature, from the day after ``ship`` to yesterday;
    message IDs are ``prefix`` and a sequence number."""
    dates = pd.date_range(ship + timedelta(days=1), today - timedelta(days=1), freq="D")
    if dates.empty or not emails:
        return pd.DataFrame()
    since = np.arange(1, dates.size + 1)
    weekday = np.where(dates.day_of_week < 5, 1.0, 0.1)
    share = ADOPTION_SHARE * np.minimum(1.0, since / RAMP_DAYS) * weekday
    active = rng.random((dates.size, len(emails))) < share[:, None]
    day_index, person = np.nonzero(active)
    if day_index.size == 0:
        return pd.DataFrame()
    # A login, then one to three uses of the feature.
    per_day = rng.integers(1, 4, day_index.size) + 1
    day_index, person = np.repeat(day_index, per_day), np.repeat(person, per_day)
    first = np.r_[True, (np.diff(day_index) != 0) | (np.diff(person) != 0)]
    seconds = rng.integers(8 * 3600, 19 * 3600, day_index.size)
    moments = dates[day_index] + pd.to_timedelta(seconds, unit="s")
    sequence = pd.Series(np.arange(day_index.size)).astype(str)
    return pd.DataFrame(
        {
            "account_external_id": external_id,
            "event": np.where(first, "login", event),
            "occurred_at": moments.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "contact_email": np.array(emails)[person],
            "message_id": prefix + sequence,
        }
    )


@transaction.atomic
def seed_adoption_demo(*, seed: int = 42, today: date | None = None) -> int:
    """Import the usage that followed the demo's ships; returns the events written."""
    rng = np.random.default_rng(seed)
    today = today or datetime.now(UTC).date()
    flags = _shipped_flags()
    if not flags:
        return 0
    asking = (
        ProductRiskAccount.objects.filter(risk__idea_id__in=[idea_id for idea_id, *_ in flags])
        .order_by("risk__idea_id", "account_id")
        .values_list("risk__idea_id", "account_id", "account__external_id")
    )
    by_idea: dict[int, list[tuple[int, str]]] = {}
    for idea_id, account_id, external_id in asking:
        by_idea.setdefault(idea_id, []).append((account_id, external_id))
    emails: dict[int, list[str]] = {}
    for account_id, email in (
        Contact.objects.filter(account_id__in={a for rows in by_idea.values() for a, _ in rows})
        .exclude(email="")
        .order_by("pk")
        .values_list("account_id", "email")
    ):
        emails.setdefault(account_id, []).append(email)
    parts = []
    for idea_id, title, ship in flags:
        event = FEATURE_EVENTS.get(title, DEFAULT_EVENT)
        feature = slugify(title)[:40]
        for account_id, external_id in by_idea.get(idea_id, []):
            parts.append(
                _adoption(
                    rng,
                    external_id=external_id,
                    prefix=f"demo-adopt-{feature}-{external_id}-{ship:%Y%m%d}-",
                    emails=emails.get(account_id, []),
                    event=event,
                    ship=ship,
                    today=today,
                )
            )
    parts = [part for part in parts if not part.empty]
    if not parts:
        return 0
    frame = pd.concat(parts, ignore_index=True)
    job = import_records(kind="usage", records=frame.to_dict("records"), source=Source.API)
    return job.rows_inserted + job.rows_duplicate
