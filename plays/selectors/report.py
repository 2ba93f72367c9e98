"""Do plays work? Per playbook: plays started and completed, the median time to
complete, and how the accounts fared 30, 60 and 90 days after a play started, beside
comparable accounts the playbook did not run on.

The comparison is observational, and the page says so: "comparable" means the same
health band on the same day as a play started, with no play of this playbook within 90
days either side. Those accounts met the same condition while the rule was off, outside
its segment, within its cool-down or before it existed; they were not chosen at random.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import RenewalOutcome
from healthscores.models import HealthSnapshot
from plays.models import Play, Playbook

HORIZONS = (30, 60, 90)
#: Below this many accounts on either side a share says little: the page says so.
MIN_SAMPLE = 20
#: No play of the playbook this many days either side of the day: a comparable account.
COMPARISON_GAP_DAYS = 90


@dataclass(frozen=True)
class Outcome:
    accounts: int
    green: int
    not_red: int
    renewals: int
    renewed: int

    @property
    def green_share(self) -> float | None:
        return 100 * self.green / self.accounts if self.accounts else None

    @property
    def not_red_share(self) -> float | None:
        return 100 * self.not_red / self.accounts if self.accounts else None

    @property
    def renewed_share(self) -> float | None:
        return 100 * self.renewed / self.renewals if self.renewals else None


@dataclass(frozen=True)
class HorizonRow:
    days: int
    played: Outcome
    comparison: Outcome

    @property
    def too_small(self) -> bool:
        return min(self.played.accounts, self.comparison.accounts) < MIN_SAMPLE


@dataclass(frozen=True)
class PlaybookReport:
    playbook: Playbook
    started: int
    completed: int
    resolved: int
    active: int
    median_days: float | None
    horizons: list[HorizonRow]
    min_sample: int = MIN_SAMPLE


def playbooks_overview() -> QuerySet[Playbook]:
    """Every playbook with its steps and play counts (one query, plus the steps)."""
    return Playbook.objects.annotate(
        started=Count("plays", distinct=True),
        active=Count("plays", filter=Q(plays__state=Play.State.ACTIVE), distinct=True),
    ).prefetch_related("steps", "rules")


#: The two dialects the report's statement is written in: PostgreSQL, and SQLite (the
#: embedded default of `make run`). ``day`` is a timestamp's UTC day; ``add`` a date
#: plus a number of days (either may be an expression).
_DIALECTS = {
    "postgresql": {
        "day": "(({0}) AT TIME ZONE 'UTC')::date",
        "add": "(({0}) + ({1}))",
    },
    "sqlite": {
        "day": "date({0})",
        "add": "date({0}, ({1}) || ' days')",
    },
}


def _outcome_sql(horizon: int) -> str:
    """Per side (played, compared): accounts with a snapshot ``horizon`` days after the
    day, how many of them green and not red, renewals within the window, and renewed.

    Portable SQL: the first renewal of the window is a correlated subquery rather than a
    LATERAL join, and the filtered counts are sums of CASEs.
    """
    dialect = _DIALECTS["postgresql" if connection.vendor == "postgresql" else "sqlite"]

    def day(column: str) -> str:
        return dialect["day"].format(column)

    def add(value: str, days: int | str) -> str:
        return dialect["add"].format(value, days)

    play, snap = Play._meta.db_table, HealthSnapshot._meta.db_table
    renewal = RenewalOutcome._meta.db_table
    shown = "COALESCE(NULLIF({t}.override_band, ''), {t}.band)"
    gap = COMPARISON_GAP_DAYS
    return f"""
        WITH played AS (
            SELECT DISTINCT p.account_id, {day("p.started_at")} AS d
            FROM {play} p
            WHERE p.playbook_id = %(playbook)s AND p.band_at_start <> ''
              AND {add(day("p.started_at"), horizon)} <= %(today)s
        ),
        starts AS (
            SELECT DISTINCT {day("p.started_at")} AS d, p.band_at_start AS b
            FROM {play} p
            WHERE p.playbook_id = %(playbook)s AND p.band_at_start <> ''
              AND {add(day("p.started_at"), horizon)} <= %(today)s
        ),
        compared AS (
            SELECT DISTINCT s0.account_id, st.d
            FROM starts st
            JOIN {snap} s0 ON s0.day = st.d AND {shown.format(t="s0")} = st.b
            WHERE NOT EXISTS (
                SELECT 1 FROM {play} q
                WHERE q.playbook_id = %(playbook)s AND q.account_id = s0.account_id
                  AND {day("q.started_at")}
                      BETWEEN {add("st.d", -gap)} AND {add("st.d", gap)})
        ),
        both_sides AS (
            SELECT 'played' AS side, account_id, d FROM played
            UNION ALL
            SELECT 'compared', account_id, d FROM compared
        ),
        looked AS (
            SELECT b.side, sn.account_id AS snapped, {shown.format(t="sn")} AS shown,
                   (SELECT ro.outcome FROM {renewal} ro
                    WHERE ro.account_id = b.account_id
                      AND ro.renewed_on > b.d AND ro.renewed_on <= {add("b.d", horizon)}
                    ORDER BY ro.renewed_on LIMIT 1) AS outcome
            FROM both_sides b
            LEFT JOIN {snap} sn ON sn.account_id = b.account_id
                               AND sn.day = {add("b.d", horizon)}
        )
        SELECT side,
               COUNT(snapped),
               SUM(CASE WHEN shown = 'green' THEN 1 ELSE 0 END),
               SUM(CASE WHEN snapped IS NOT NULL AND shown NOT IN ('red', 'grey')
                        THEN 1 ELSE 0 END),
               COUNT(outcome),
               SUM(CASE WHEN outcome IN ('renewed', 'expanded') THEN 1 ELSE 0 END)
        FROM looked
        GROUP BY side
    """  # noqa: S608 - table names only, values as parameters


def _median_days(playbook: Playbook) -> float | None:
    """Median days from start to completion of the playbook's completed plays:
    aggregated by PostgreSQL, read and computed here on SQLite (the embedded demo)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT percentile_cont(0.5) WITHIN GROUP (
                    ORDER BY EXTRACT(EPOCH FROM finished_at - started_at) / 86400.0)
                FROM {Play._meta.db_table}
                WHERE playbook_id = %s AND state = %s AND finished_at IS NOT NULL
                """,  # noqa: S608 - table names only, values as parameters
                [playbook.pk, Play.State.COMPLETED],
            )
            median = cursor.fetchone()[0]
        return None if median is None else float(median)
    spans = [
        (finished - started).total_seconds() / 86400
        for started, finished in Play.objects.filter(
            playbook=playbook, state=Play.State.COMPLETED, finished_at__isnull=False
        ).values_list("started_at", "finished_at")
        if finished is not None
    ]
    return statistics.median(spans) if spans else None


def playbook_report(*, playbook: Playbook, today: date | None = None) -> PlaybookReport:
    """The report of one playbook: one aggregate, plus one statement per horizon."""
    today = today or timezone.localdate()
    plays = Play.objects.filter(playbook=playbook)
    counts = plays.aggregate(
        started=Count("pk"),
        completed=Count("pk", filter=Q(state=Play.State.COMPLETED)),
        resolved=Count("pk", filter=Q(state=Play.State.RESOLVED)),
        active=Count("pk", filter=Q(state=Play.State.ACTIVE)),
    )
    with connection.cursor() as cursor:
        horizons = []
        for horizon in HORIZONS:
            cursor.execute(_outcome_sql(horizon), {"playbook": playbook.pk, "today": today})
            found = {row[0]: Outcome(*row[1:]) for row in cursor.fetchall()}
            empty = Outcome(0, 0, 0, 0, 0)
            horizons.append(
                HorizonRow(
                    days=horizon,
                    played=found.get("played", empty),
                    comparison=found.get("compared", empty),
                )
            )
    return PlaybookReport(
        playbook=playbook,
        median_days=_median_days(playbook),
        horizons=horizons,
        **counts,
    )
