"""The rules of each import kind, built from the vectorised checks in ``validate``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

from accounts.models import Account, RenewalOutcome, SurveyResponse, Ticket
from ingest import validate as v

#: The most one usage event may count. A quantity is a count of something done (reports
#: exported, seats added, API calls), so a billion in one event is a unit mistake (bytes
#: for megabytes) or garbage, and it would swamp every rollup and health measure it
#: reaches. Rollups sum quantities as float64, exact for integers up to 2**53: capped
#: events keep a day's sum exact for millions of them.
MAX_EVENT_QUANTITY = 1_000_000_000

TRUE_WORDS = {"1": True, "true": True, "yes": True, "y": True, "x": True,
              "0": False, "false": False, "no": False, "n": False}  # fmt: skip


@dataclass
class Lookups:
    """What the rules need from the database, fetched by the pipeline per chunk."""

    accounts: Mapping[str, int] = field(default_factory=dict)  # external_id -> pk
    csms: Mapping[str, int] = field(default_factory=dict)  # e-mail -> user pk
    #: Lower-cased names of one account -> its pk, and of several -> how many; only for
    #: the values that matched no external ID.
    account_names: Mapping[str, int] = field(default_factory=dict)
    shared_names: Mapping[str, int] = field(default_factory=dict)


def _account_ids(frame: pd.DataFrame, problems: v.Problems, lookups: Lookups) -> pd.Series:
    return v.account_ids(
        frame,
        problems,
        lookups.accounts,
        names=lookups.account_names,
        shared_names=lookups.shared_names,
    )


def _choices(enum) -> dict[str, str]:
    spellings = {value: value for value in enum.values}
    spellings.update({str(label).lower(): value for value, label in enum.choices})
    return spellings


def check_usage(frame: pd.DataFrame, lookups: Lookups, now: datetime | None = None) -> v.Checked:
    problems = v.Problems(frame.index)
    account_id = _account_ids(frame, problems, lookups)
    event = v.text(frame, problems, "event", required=True, max_length=200)
    occurred_at = v.timestamp(frame, problems, "occurred_at", now=now)
    quantity = v.number(
        frame, problems, "quantity", default=1, minimum=0, maximum=MAX_EVENT_QUANTITY
    )
    email = v.emails(frame, problems, "contact_email")
    user_id = v.text(frame, problems, "user_id", max_length=200)
    message_id = v.text(frame, problems, "message_id", max_length=200)
    properties = v.json_object(frame, problems, "properties")
    # Key only the valid rows that bring no message ID: the key is per row, so a subset
    # keys the same, and files from trackers carry IDs on every row.
    source_id = message_id.copy()
    anonymous = (message_id == "") & ~problems.bad
    if anonymous.any():
        source_id[anonymous] = v.usage_key(
            account_id[anonymous],
            event[anonymous],
            occurred_at[anonymous],
            quantity[anonymous],
            email[anonymous],
        )
    return v.finish(
        frame,
        problems,
        {
            "account_id": account_id,
            "contact_email": email,
            "user_id": user_id,
            "event": event,
            "occurred_at": occurred_at,
            "quantity": quantity,
            "source_id": source_id,
            "properties": properties,
        },
    )


def check_tickets(frame: pd.DataFrame, lookups: Lookups, now: datetime | None = None) -> v.Checked:
    problems = v.Problems(frame.index)
    external_id = v.text(frame, problems, "external_id", required=True, max_length=100)
    account_id = _account_ids(frame, problems, lookups)
    subject = v.text(frame, problems, "subject", required=True, max_length=300)
    priority = v.choice(
        frame, problems, "priority", choices=_choices(Ticket.Priority), default="normal"
    )
    status = v.choice(
        frame,
        problems,
        "status",
        choices=_choices(Ticket.Status) | {"new": "open", "hold": "pending", "on-hold": "pending"},
        default="open",
    )
    opened_at = v.timestamp(frame, problems, "opened_at", now=now)
    first_response_at = v.timestamp(frame, problems, "first_response_at", required=False, now=now)
    # Helpdesks export the wait instead (Zendesk: "First reply time in minutes").
    minutes = v.number(frame, problems, "first_response_minutes", default=np.nan, minimum=0)
    first_response_at = first_response_at.where(
        first_response_at.notna(), opened_at + pd.to_timedelta(minutes, unit="min")
    )
    solved_at = v.timestamp(frame, problems, "solved_at", required=False, now=now)
    tags = v.text(frame, problems, "tags", max_length=1000)
    problems.add(solved_at.notna() & (solved_at < opened_at), "solved_at", _("is before opened_at"))
    # Comma (or semicolon) separated; a value with neither is space separated, as
    # Zendesk's tags are, which never hold a space themselves.
    listed = tags.str.contains(r"[,;]")
    tags = tags.where(listed, tags.str.replace(r"\s+", ",", regex=True)).str.replace(";", ",")
    return v.finish(
        frame,
        problems,
        {
            "external_id": external_id,
            "account_id": account_id,
            "subject": subject,
            "priority": priority,
            "status": status,
            "tags": tags.str.split(",").map(
                lambda parts: sorted({p.strip() for p in parts if p.strip()})
            ),
            "opened_at": opened_at,
            "first_response_at": first_response_at,
            "solved_at": solved_at,
        },
    )


def check_surveys(frame: pd.DataFrame, lookups: Lookups, now: datetime | None = None) -> v.Checked:
    problems = v.Problems(frame.index)
    external_id = v.text(frame, problems, "external_id", required=True, max_length=100)
    account_id = _account_ids(frame, problems, lookups)
    kind = v.choice(frame, problems, "kind", choices=_choices(SurveyResponse.Kind), default="")
    problems.add(kind == "", "kind", _("is required (nps or csat)"))
    score = v.number(frame, problems, "score", minimum=0, integer=True)
    nps_low, nps_high = SurveyResponse.SCORE_RANGE[SurveyResponse.Kind.NPS]
    csat_low, csat_high = SurveyResponse.SCORE_RANGE[SurveyResponse.Kind.CSAT]
    problems.add(
        (kind == "nps") & ((score < nps_low) | (score > nps_high)),
        "score",
        _("must be %(low)d to %(high)d for NPS") % {"low": nps_low, "high": nps_high},
    )
    problems.add(
        (kind == "csat") & ((score < csat_low) | (score > csat_high)),
        "score",
        _("must be %(low)d to %(high)d for CSAT") % {"low": csat_low, "high": csat_high},
    )
    responded_at = v.timestamp(frame, problems, "responded_at", now=now)
    return v.finish(
        frame,
        problems,
        {
            "external_id": external_id,
            "account_id": account_id,
            "kind": kind,
            "score": score,
            "responded_at": responded_at,
            "contact_email": v.emails(frame, problems, "contact_email"),
            "comment": v.text(frame, problems, "comment", max_length=5000, single_line=False),
        },
    )


def check_accounts(frame: pd.DataFrame, lookups: Lookups, now: datetime | None = None) -> v.Checked:
    problems = v.Problems(frame.index)
    csm_email = v.emails(frame, problems, "csm_email")
    csm_id = csm_email.map(lookups.csms)
    problems.add((csm_email != "") & csm_id.isna(), "csm_email", _("no CSM user has this e-mail"))
    started_on = v.date(frame, problems, "started_on")
    renews_on = v.date(frame, problems, "renews_on")
    both = started_on.notna() & renews_on.notna()
    problems.add(
        both & (renews_on.where(both) < started_on.where(both)).fillna(False),
        "renews_on",
        _("is before started_on"),
    )
    return v.finish(
        frame,
        problems,
        {
            "external_id": v.text(frame, problems, "external_id", required=True, max_length=100),
            "name": v.text(frame, problems, "name", required=True, max_length=200),
            "domain": v.text(frame, problems, "domain", max_length=200),
            "plan": v.text(frame, problems, "plan", max_length=60),
            "segment": v.text(frame, problems, "segment", max_length=60),
            "arr": v.number(frame, problems, "arr", default=0, minimum=0, maximum=10**12),
            "licensed_seats": v.number(
                frame,
                problems,
                "licensed_seats",
                default=0,
                minimum=0,
                integer=True,
                maximum=2**31 - 1,
            ),
            "lifecycle_stage": v.choice(
                frame,
                problems,
                "lifecycle_stage",
                choices=_choices(Account.Lifecycle),
                default=Account.Lifecycle.ONBOARDING,
            ),
            "csm_owner_id": csm_id,
            "started_on": started_on,
            "renews_on": renews_on,
        },
    )


def check_contacts(frame: pd.DataFrame, lookups: Lookups, now: datetime | None = None) -> v.Checked:
    problems = v.Problems(frame.index)
    return v.finish(
        frame,
        problems,
        {
            "account_id": _account_ids(frame, problems, lookups),
            "name": v.text(frame, problems, "name", required=True, max_length=200),
            "email": v.emails(frame, problems, "email", required=True),
            "title": v.text(frame, problems, "title", max_length=120),
            "is_champion": v.choice(
                frame, problems, "is_champion", choices=TRUE_WORDS, default=False
            ),
        },
    )


def check_renewals(frame: pd.DataFrame, lookups: Lookups, now: datetime | None = None) -> v.Checked:
    """An outcome is a fact that happened: a date ahead is a forecast, not an outcome,
    and two outcomes of one account on one day contradict each other, whichever wins."""
    problems = v.Problems(frame.index)
    account_id = _account_ids(frame, problems, lookups)
    renewed_on = v.date(frame, problems, "renewed_on")
    problems.add(renewed_on.isna(), "renewed_on", _("is required"))
    today = (now or datetime.now(UTC)).date()
    problems.add(
        pd.to_datetime(renewed_on) > pd.Timestamp(today),
        "renewed_on",
        _("is in the future"),
    )
    outcome = v.choice(
        frame, problems, "outcome", choices=_choices(RenewalOutcome.Outcome), default=""
    )
    problems.add(
        outcome == "", "outcome", _("is required (renewed, expanded, contracted or churned)")
    )
    arr_before = v.number(frame, problems, "arr_before", minimum=0, maximum=10**12)
    arr_after = v.number(frame, problems, "arr_after", minimum=0, maximum=10**12)
    problems.add(
        (outcome == RenewalOutcome.Outcome.CHURNED) & (arr_after > 0),
        "arr_after",
        _("must be 0 for a churned account"),
    )
    keyed = pd.DataFrame({"account": account_id, "day": renewed_on})
    repeated = keyed.notna().all(axis=1) & keyed.duplicated(keep="first")
    first_row = (
        pd.Series(keyed.index, index=keyed.index)
        .groupby([keyed["account"], keyed["day"]], dropna=True)
        .transform("min")
    )
    before, after = (
        _("this account already has an outcome on this date (row %(row)s)") % {"row": "\0"}
    ).split("\0")
    problems.add(
        repeated,
        "renewed_on",
        lambda mask: before + first_row[mask].astype(int).astype(str) + after,
    )
    return v.finish(
        frame,
        problems,
        {
            "account_id": account_id,
            "renewed_on": renewed_on,
            "outcome": outcome,
            "arr_before": arr_before,
            "arr_after": arr_after,
        },
    )


RULES = {
    "accounts": check_accounts,
    "contacts": check_contacts,
    "usage": check_usage,
    "tickets": check_tickets,
    "surveys": check_surveys,
    "renewals": check_renewals,
}
