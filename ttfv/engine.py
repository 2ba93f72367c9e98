"""Recompute onboarding for a chunk of accounts: starts, milestone progress from usage,
first value, status; then alerts and a health refresh for what changed.

SQL reads the rollups for the chunk (one query per kind of input), ``rules`` does the
math in pandas, and the writes are bulk upserts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from django.conf import settings
from django.db.models import F, Min, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.models import Account, DailyEventContact, DailyUsage
from core.sql import upsert
from notifications.models import Alert
from notifications.services.alerts import AlertDraft, alerts_raise
from ttfv import rules
from ttfv.models import Milestone, MilestoneProgress, MilestoneTemplate, Onboarding

ALERT_KIND = "ttfv.status"


@dataclass(frozen=True)
class Templates:
    frame: pd.DataFrame  # index template id: plan, segment, target_days, at_risk_percent
    milestones: (
        pd.DataFrame
    )  # id, template_id, rule, event, min_events, min_contacts, is_first_value
    default_id: int

    def assign(self, accounts: pd.DataFrame) -> pd.Series:
        """Plan first, then segment, then the default, per account."""
        by_plan = {r.plan: pk for pk, r in self.frame.iterrows() if r.plan}
        by_segment = {r.segment: pk for pk, r in self.frame.iterrows() if r.segment}
        chosen = accounts["plan"].map(by_plan)
        chosen = chosen.fillna(accounts["segment"].map(by_segment))
        return chosen.fillna(self.default_id).astype("int64")


def default_template_ensure() -> MilestoneTemplate:
    """The default template (a migration creates it; a flushed database gets it back).

    Its names are stored, so they are written in the installation's language, not in
    the language of whoever happens to trigger the creation."""
    with translation.override(settings.LANGUAGE_CODE):
        template, created = MilestoneTemplate.objects.get_or_create(
            plan="", segment="", defaults={"name": _("Default onboarding")}
        )
        if created:
            Milestone.objects.create(
                template=template, name=_("Kickoff call"), position=0, target_offset_days=7,
                rule=Milestone.Rule.MANUAL,
            )  # fmt: skip
            Milestone.objects.create(
                template=template, name=pgettext("milestone name", "First value"), position=1,
                target_offset_days=45, rule=Milestone.Rule.MANUAL, is_first_value=True,
            )  # fmt: skip
    return template


def load_templates() -> Templates:
    if not MilestoneTemplate.objects.filter(plan="", segment="").exists():
        default_template_ensure()
    templates = pd.DataFrame.from_records(
        list(
            MilestoneTemplate.objects.values_list(
                "pk", "plan", "segment", "target_days", "at_risk_percent"
            )
        ),
        columns=["template_id", "plan", "segment", "target_days", "at_risk_percent"],
    ).set_index("template_id")
    milestones = pd.DataFrame.from_records(
        list(
            Milestone.objects.values_list(
                "pk", "template_id", "rule", "event", "min_events", "min_contacts", "is_first_value"
            )
        ),
        columns=[
            "milestone_id",
            "template_id",
            "rule",
            "event",
            "min_events",
            "min_contacts",
            "is_first_value",
        ],
    )
    default_id = int(templates.index[(templates["plan"] == "") & (templates["segment"] == "")][0])
    return Templates(frame=templates, milestones=milestones, default_id=default_id)


def _frame(rows, columns) -> pd.DataFrame:
    return pd.DataFrame.from_records(list(rows), columns=columns)


def recompute_scope(
    scope: Q, *, today: date, templates: Templates | None = None, alerts: bool = True
) -> dict:
    """Recompute the onboardings of the accounts matching ``scope`` (a Q on Account).

    Returns {"accounts": n, "changed": [account ids whose status or first value moved]}.
    """
    templates = templates or load_templates()
    accounts = _frame(
        Account.objects.filter(scope)
        .order_by("pk")
        .values_list("pk", "name", "plan", "segment", "started_on", "csm_owner_id"),
        ["account_id", "name", "plan", "segment", "contract_start", "csm_owner_id"],
    ).set_index("account_id")
    if accounts.empty:
        return {"accounts": 0, "changed": []}
    # A subquery rather than a list of thousands of ids: each id would be one more bind
    # parameter for psycopg to split and adapt, in each of the queries below.
    in_scope = Account.objects.filter(scope).values("pk")
    previous_columns = [
        "account_id", "template_id", "started_on", "start_is_manual", "target_days", "status",
        "first_value_on",
    ]  # fmt: skip
    previous = (
        _frame(
            Onboarding.objects.filter(account_id__in=in_scope).values_list(*previous_columns),
            previous_columns,
        )
        .set_index("account_id")
        .reindex(accounts.index)
    )

    # 1. Template, start and target: written first, so the SQL below can cut each
    #    account's rollups at its own start by joining its onboarding row.
    accounts["template_id"] = templates.assign(accounts)
    manual = previous["start_is_manual"].fillna(False).astype(bool)
    accounts["started_on"] = previous["started_on"].where(manual, accounts["contract_start"])
    accounts["start_is_manual"] = manual
    accounts["target_days"] = accounts["template_id"].map(templates.frame["target_days"])
    accounts["at_risk_percent"] = accounts["template_id"].map(templates.frame["at_risk_percent"])
    # Only new rows and rows whose template, start or target moved: a nightly rerun
    # writes almost nothing here.
    moved_setup = (
        previous["template_id"].isna()
        | (accounts["template_id"] != previous["template_id"])
        | (accounts["target_days"] != previous["target_days"])
        | _dates_differ(accounts["started_on"], previous["started_on"])
    )
    _upsert_onboardings(
        accounts[moved_setup],
        fields=["template_id", "started_on", "start_is_manual", "target_days"],
    )

    # 2. Usage milestones reached, from the rollups since each start.
    usage = templates.milestones[templates.milestones["rule"] == "usage"]
    pairs = accounts[["template_id", "started_on"]].reset_index().merge(usage, on="template_id")
    pairs = pairs[pairs["started_on"].notna()]
    achieved = pd.DataFrame(columns=rules.ACHIEVEMENT_COLUMNS)
    if not pairs.empty:
        events = sorted(set(pairs["event"]))
        since_start = Q(
            account_id__in=in_scope,
            event__in=events,
            day__gte=F("account__onboarding__started_on"),
        )
        daily = _frame(
            DailyUsage.objects.filter(since_start).values_list(
                "account_id", "event", "day", "event_count"
            ),
            ["account_id", "event", "day", "events"],
        )
        counted_events = sorted(set(pairs.loc[pairs["min_contacts"].notna(), "event"]))
        first_days = _frame(
            DailyEventContact.objects.filter(since_start, event__in=counted_events)
            .values("account_id", "event", "contact_id")
            .annotate(first_day=Min("day"))
            .order_by()
            .values_list("account_id", "event", "contact_id", "first_day"),
            ["account_id", "event", "contact_id", "first_day"],
        )
        # datetime64 rather than date objects: pandas' groupby min over object columns
        # falls back to a Python loop (about a second per chunk).
        pairs["started_on"] = pd.to_datetime(pairs["started_on"])
        daily["day"] = pd.to_datetime(daily["day"])
        first_days["first_day"] = pd.to_datetime(first_days["first_day"])
        achieved = rules.usage_achievements(pairs, daily, first_days)
        achieved["achieved_on"] = pd.to_datetime(achieved["achieved_on"]).dt.date
    _store_auto_progress(in_scope, achieved)

    # 3. First value, TTFV and status.
    first_value_ids = templates.milestones.loc[
        templates.milestones["is_first_value"], "milestone_id"
    ]
    progress = (
        _frame(
            MilestoneProgress.objects.filter(
                account_id__in=in_scope, milestone_id__in=list(first_value_ids)
            ).values_list("account_id", "achieved_on"),
            ["account_id", "achieved_on"],
        )
        .drop_duplicates("account_id")
        .set_index("account_id")
    )
    accounts["first_value_on"] = progress["achieved_on"].reindex(accounts.index)
    early = (
        accounts["first_value_on"].notna()
        & accounts["started_on"].notna()
        & (pd.to_datetime(accounts["first_value_on"]) < pd.to_datetime(accounts["started_on"]))
    )
    accounts.loc[early, "first_value_on"] = None  # a check-off before a later-moved start
    status = rules.onboarding_status(accounts, today)
    accounts["status"] = status["status"]
    accounts["ttfv_days"] = status["ttfv_days"]
    moved = (
        moved_setup
        | (accounts["status"] != previous["status"])
        | _dates_differ(accounts["first_value_on"], previous["first_value_on"])
    )
    # Every row is stamped as computed by one UPDATE; only the rows that moved are
    # rewritten (a nightly rerun moves a few percent of them).
    Onboarding.objects.filter(account_id__in=in_scope).update(computed_at=timezone.now())
    _upsert_onboardings(
        accounts[moved], fields=["first_value_on", "ttfv_days", "status", "computed_at"]
    )
    changed = [int(pk) for pk in accounts.index[moved]]
    if alerts:
        _raise_alerts(accounts, previous)
    return {"accounts": len(accounts), "changed": changed}


def _dates_differ(new: pd.Series, old: pd.Series) -> pd.Series:
    """Per row: the date changed (two missing dates are equal, unlike NaT != NaT)."""
    new, old = pd.to_datetime(new), pd.to_datetime(old)
    return (new != old) & ~(new.isna() & old.isna())


def _upsert_onboardings(accounts: pd.DataFrame, *, fields: list[str]) -> None:
    has_outcome = "status" in accounts.columns
    rows = pd.DataFrame(
        {
            "account_id": accounts.index.astype("int64"),
            "template_id": accounts["template_id"].astype("int64"),
            "started_on": accounts["started_on"],
            "start_is_manual": accounts["start_is_manual"].astype(bool),
            "target_days": accounts["target_days"].astype("int64"),
            "first_value_on": accounts["first_value_on"] if has_outcome else None,
            "ttfv_days": accounts["ttfv_days"].astype("Int64") if has_outcome else None,
            "status": accounts["status"] if has_outcome else Onboarding.Status.NOT_STARTED.value,
            "computed_at": timezone.now(),
        }
    )
    upsert(Onboarding, rows, conflict=("account_id",), update=fields)


def _store_auto_progress(in_scope: QuerySet, achieved: pd.DataFrame) -> None:
    """Auto progress mirrors the data: rows appear, move to an earlier day after a
    backfill or template change, and vanish when the rule no longer holds. Manual
    check-offs are never touched."""
    manual = set(
        MilestoneProgress.objects.filter(
            account_id__in=in_scope, source=MilestoneProgress.Source.MANUAL
        ).values_list("account_id", "milestone_id")
    )
    wanted = {
        (int(a), int(m)): d
        for a, m, d in achieved.itertuples(index=False, name=None)
        if (int(a), int(m)) not in manual
    }
    existing = {
        (a, m): (pk, d)
        for pk, a, m, d in MilestoneProgress.objects.filter(
            account_id__in=in_scope, source=MilestoneProgress.Source.AUTO
        ).values_list("pk", "account_id", "milestone_id", "achieved_on")
    }
    gone = [pk for key, (pk, _day) in existing.items() if key not in wanted]
    MilestoneProgress.objects.filter(pk__in=gone).delete()
    rows = pd.DataFrame.from_records(
        [(a, m, d) for (a, m), d in wanted.items() if existing.get((a, m), (None, None))[1] != d],
        columns=["account_id", "milestone_id", "achieved_on"],
    ).assign(source=MilestoneProgress.Source.AUTO.value, recorded_at=timezone.now())
    upsert(
        MilestoneProgress,
        rows,
        conflict=("account_id", "milestone_id"),
        update=("achieved_on", "source", "recorded_at"),
    )


def _raise_alerts(accounts: pd.DataFrame, previous: pd.DataFrame) -> None:
    """One alert when an onboarding turns at risk or late. The first computation of an
    account sets a baseline and stays quiet, so installing csplatform on a book of old
    accounts does not flood the CSMs."""
    turned = (
        accounts["status"].isin([rules.AT_RISK, rules.LATE])
        & previous["status"].notna()
        & (accounts["status"] != previous["status"])
    )
    rows = accounts[turned & accounts["csm_owner_id"].notna()]
    labels = dict(Onboarding.Status.choices)
    alerts_raise(
        AlertDraft(
            kind=ALERT_KIND,
            severity=Alert.Severity.CRITICAL
            if row.status == rules.LATE
            else Alert.Severity.WARNING,
            recipient_id=int(row.csm_owner_id),
            account_id=int(account_id),
            title=_("Onboarding of %(account)s is %(status)s")
            % {"account": row.name, "status": str(labels[row.status]).lower()},
            body=_("Started %(start)s, no first value yet (target %(days)d days).")
            % {"start": row.started_on, "days": int(row.target_days)},
            url=reverse("accounts:detail", args=[int(account_id)]) + "#onboarding",
            dedupe_key=f"{ALERT_KIND}:{int(account_id)}:{row.started_on}:{row.status}",
        )
        for account_id, row in rows.iterrows()
    )
