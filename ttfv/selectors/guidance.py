"""The usage events the in-app widget records, by name.

They land through the ingest pipeline like any other usage (so they feed health and
time to first value), and the guidance report reads them back; both sides name them
here so a renamed event cannot silently empty the report. Milestone events carry the
milestone's id in ``properties["milestone"]``.

Below the names, the reads of the guidance report (issue 16, "Measuring the guidance"):
per milestone, nudged accounts against comparable ones that were not nudged; the
definitions are in ``ttfv.guidance``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
from django.db import connection

from accounts.models import Account, UsageEvent, User
from core.roles import Role
from ttfv import charts, guidance
from ttfv.models import Milestone, MilestoneProgress, MilestoneTemplate, Onboarding

WIDGET_OPENED = "Widget Opened"
MILESTONE_CLICKED = "Widget Milestone Clicked"
NUDGE_SHOWN = "Widget Nudge Shown"
NUDGE_DISMISSED = "Widget Nudge Dismissed"
NUDGE_CLICKED = "Widget Nudge Clicked"
ENTRY_READ = "Widget Entry Read"

#: Every event the widget sends; the ingest's write key for the widget accepts only these.
WIDGET_EVENTS = frozenset(
    {WIDGET_OPENED, MILESTONE_CLICKED, NUDGE_SHOWN, NUDGE_DISMISSED, NUDGE_CLICKED, ENTRY_READ}
)


# --- The guidance report (issue 16): nudged accounts against comparable ones -------
#
# Who counts as nudged, who is comparable and what "reached within 7 days" means is
# documented in ``ttfv.guidance``. The counting happens here, in one SQL aggregate: one
# row per milestone, group and day 0, so the page costs the same whatever the number of
# accounts or events. Like the cohort reports, it aggregates over every account and
# names none; only staff reach it (STAFF_ROLES), for whom every account is visible, and
# the CSM filter narrows it to one book.

#: Nudges are counted by the day they were shown, in UTC like every day of onboarding.
_DIALECTS = {
    "postgresql": {
        "day": "(e.occurred_at AT TIME ZONE 'UTC')::date",
        "week": "date_trunc('week', {0})::date",
        "days": "({0} - {1})",
        "materialized": "MATERIALIZED",
    },
    "sqlite": {
        "day": "date(e.occurred_at)",
        "week": "date({0}, '-' || ((CAST(strftime('%%w', {0}) AS INTEGER) + 6) %% 7) || ' days')",
        "days": "CAST(julianday({0}) - julianday({1}) AS INTEGER)",
        "materialized": "",
    },
}

_REPORT_SQL = """
WITH nudges AS (
    SELECT e.account_id, m.id AS milestone_id, m.template_id, MIN({day}) AS first_day
    FROM {event} e
    JOIN {milestone} m ON CAST(e.properties ->> 'milestone' AS TEXT) = CAST(m.id AS TEXT)
    WHERE e.event = %(nudge)s {template_scope}
    GROUP BY e.account_id, m.id, m.template_id
),
nudged AS (
    SELECT n.milestone_id, n.template_id, n.first_day AS day0, p.achieved_on
    FROM nudges n
    JOIN {onboarding} o ON o.account_id = n.account_id AND o.template_id = n.template_id
    {account_join}
    LEFT JOIN {progress} p ON p.account_id = n.account_id AND p.milestone_id = n.milestone_id
    WHERE n.first_day >= %(day_from)s AND n.first_day <= %(day_to)s
      AND (p.achieved_on IS NULL OR p.achieved_on >= n.first_day) {csm_scope}
),
weeks AS (
    SELECT DISTINCT milestone_id, template_id, {week_of_day0} AS day0 FROM nudged
),
candidates AS {materialized} (
    -- Once per milestone, not once per week: the onboardings of its template never
    -- nudged toward it that were still on their way at its first week. Materialised,
    -- or PostgreSQL inlines it into the weekly join and repeats it for every week.
    SELECT m.milestone_id, o.started_on, p.achieved_on
    FROM (
        SELECT milestone_id, template_id, MIN(day0) AS first_week, MAX(day0) AS last_week
        FROM weeks GROUP BY milestone_id, template_id
    ) m
    JOIN {onboarding} o ON o.template_id = m.template_id AND o.started_on <= m.last_week
    {account_join}
    LEFT JOIN {progress} p ON p.account_id = o.account_id AND p.milestone_id = m.milestone_id
    WHERE (p.achieved_on IS NULL OR p.achieved_on >= m.first_week) {csm_scope}
      AND NOT EXISTS (
        SELECT 1 FROM nudges n
        WHERE n.account_id = o.account_id AND n.milestone_id = m.milestone_id
      )
),
comparison AS (
    SELECT w.milestone_id, w.day0, c.achieved_on
    FROM weeks w
    JOIN candidates c ON c.milestone_id = w.milestone_id
    WHERE c.started_on <= w.day0 AND (c.achieved_on IS NULL OR c.achieved_on >= w.day0)
),
counted AS (
    SELECT milestone_id, 'nudged' AS grp, day0, achieved_on FROM nudged
    UNION ALL
    SELECT milestone_id, 'comparison' AS grp, day0, achieved_on FROM comparison
)
SELECT g.milestone_id, m.name, t.name, m.position, g.grp, g.day0, g.n, g.reached_7,
       g.reached_14
FROM (
    -- Counted on narrow keys first, named after: grouping every row by the names too
    -- sorted them all on disk.
    SELECT c.milestone_id, c.grp, c.day0, COUNT(*) AS n,
           SUM(CASE WHEN {elapsed} <= 7 THEN 1 ELSE 0 END) AS reached_7,
           SUM(CASE WHEN {elapsed} <= 14 THEN 1 ELSE 0 END) AS reached_14
    FROM counted c
    GROUP BY c.milestone_id, c.grp, c.day0
) g
JOIN {milestone} m ON m.id = g.milestone_id
JOIN {template} t ON t.id = m.template_id
"""


#: The report covers first nudges of the last GUIDANCE_DEFAULT_DAYS days unless told.
GUIDANCE_DEFAULT_DAYS = 90


@dataclass(frozen=True)
class GuidanceFilters:
    """Which first nudges the report covers: ``day_from`` to ``day_to``, both included."""

    day_from: date
    day_to: date
    template_id: int | None = None
    csm_id: int | None = None


@dataclass(frozen=True)
class GuidanceChoices:
    templates: list[tuple[int, str]]
    csms: list[tuple[int, str]]


@dataclass(frozen=True)
class GuidanceReport:
    rows: list[dict[str, Any]]
    figure: dict[str, Any] = field(default_factory=dict)

    @property
    def has_data(self) -> bool:
        return bool(self.rows)


def guidance_filter_choices() -> GuidanceChoices:
    """The milestone templates and the CSMs (two small queries)."""
    templates = list(MilestoneTemplate.objects.order_by("name", "pk").values_list("pk", "name"))
    csms = [
        (user.pk, user.get_full_name() or user.username)
        for user in User.objects.filter(role=Role.CSM).order_by(
            "first_name", "last_name", "username"
        )
    ]
    return GuidanceChoices(templates=templates, csms=csms)


def guidance_frame(filters: GuidanceFilters) -> pd.DataFrame:
    """Nudged and comparison accounts counted per milestone, group and day 0, in
    ``ttfv.guidance.INPUT_COLUMNS``: one query however many accounts and events."""
    dialect = _DIALECTS["postgresql" if connection.vendor == "postgresql" else "sqlite"]
    params: dict[str, Any] = {
        "nudge": NUDGE_SHOWN,
        "day_from": filters.day_from,
        "day_to": filters.day_to,
    }
    template_scope = csm_scope = account_join = ""
    if filters.template_id is not None:
        template_scope, params["template"] = "AND m.template_id = %(template)s", filters.template_id
    if filters.csm_id is not None:
        # The accounts are joined for this filter alone: every onboarding has one.
        account_join = f"JOIN {Account._meta.db_table} a ON a.id = o.account_id"
        csm_scope, params["csm"] = "AND a.csm_owner_id = %(csm)s", filters.csm_id
    sql = _REPORT_SQL.format(
        day=dialect["day"],
        week_of_day0=dialect["week"].format("day0"),
        elapsed=dialect["days"].format("c.achieved_on", "c.day0"),
        materialized=dialect["materialized"],
        template_scope=template_scope,
        csm_scope=csm_scope,
        account_join=account_join,
        event=UsageEvent._meta.db_table,
        milestone=Milestone._meta.db_table,
        template=MilestoneTemplate._meta.db_table,
        onboarding=Onboarding._meta.db_table,
        progress=MilestoneProgress._meta.db_table,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return pd.DataFrame.from_records(cursor.fetchall(), columns=guidance.INPUT_COLUMNS)


def guidance_report(*, filters: GuidanceFilters, today: date) -> GuidanceReport:
    """The table and the figure of the guidance page, from one query."""
    rows = guidance.guidance_rows(guidance_frame(filters), today=today)
    report = GuidanceReport(rows=rows)
    if report.has_data:
        report.figure.update(json.loads(charts.guidance_figure(rows).to_json()))
    return report
