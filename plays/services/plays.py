"""Writes of plays: start a playbook on an account (by hand or by the rules, in bulk),
close what a recovered account no longer needs, and the rules themselves.

Every start is idempotent: the partial unique index ``play_active_once`` lets one active
play of a playbook per account exist, and the rules insert with ``ON CONFLICT DO
NOTHING`` against it, so a recompute run twice, a retried task or two workers at once
start nothing twice. "At most once per account per N days" is read in the same
statement from the rule's earlier plays.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account, DailyActivity, SurveyResponse, User
from core.models import Job
from core.queue import queue_task_on_commit
from core.roles import Role
from healthscores.models import AccountHealth, Band
from plays.models import Play, Playbook, PlaybookStep, Rule, Task
from productrisk.models import ProductRisk, ProductRiskAccount
from ttfv.models import Onboarding

logger = logging.getLogger(__name__)

#: Who starts a play by hand and edits playbooks and rules.
PLAY_STARTERS = frozenset({Role.CSM, Role.ADMIN})


# --- Conditions -------------------------------------------------------------------------


def condition(rule: Rule, today: date) -> Q:
    """The accounts that meet the rule's trigger today, as a filter on Account.

    Each is one ``EXISTS`` (or a column test): evaluated by PostgreSQL over every account
    in scope at once, never one query per account.
    """
    health = AccountHealth.objects.filter(account_id=OuterRef("pk"))
    if rule.trigger == Rule.Trigger.BAND:
        bands = [Band.RED] if rule.band == Rule.Band.RED else [Band.RED, Band.YELLOW]
        return Q(Exists(health.filter(effective_band__in=bands)))
    if rule.trigger == Rule.Trigger.SCORE_BELOW:
        return Q(Exists(health.filter(score__lt=rule.threshold)))
    if rule.trigger == Rule.Trigger.ONBOARDING:
        late = [Onboarding.Status.AT_RISK, Onboarding.Status.LATE]
        return Q(Exists(Onboarding.objects.filter(account_id=OuterRef("pk"), status__in=late)))
    if rule.trigger == Rule.Trigger.RENEWAL:
        # "While not green": an account with no score yet counts as not green.
        return Q(renews_on__gte=today, renews_on__lte=today + timedelta(days=rule.days)) & ~Q(
            Exists(health.filter(effective_band=Band.GREEN))
        )
    if rule.trigger == Rule.Trigger.PRODUCT_RISK:
        blocking = ProductRiskAccount.objects.filter(
            account_id=OuterRef("pk"), risk__status__in=ProductRisk.ACTIVE_STATUSES
        )
        return Q(Exists(blocking))
    if rule.trigger == Rule.Trigger.DETRACTOR:
        answered_since = timezone.now() - timedelta(days=rule.days)
        detractors = SurveyResponse.objects.filter(
            account_id=OuterRef("pk"),
            kind=SurveyResponse.Kind.NPS,
            score__lte=6,
            responded_at__gte=answered_since,
        )
        return Q(Exists(detractors))
    if rule.trigger == Rule.Trigger.NO_USAGE:
        since = today - timedelta(days=rule.days)
        used = DailyActivity.objects.filter(account_id=OuterRef("pk"), day__gt=since)
        # A contract younger than the window has not had the time to be silent.
        return ~Q(Exists(used)) & (Q(started_on__isnull=True) | Q(started_on__lte=since))
    raise ValueError(f"Unknown trigger {rule.trigger!r}")


def cleared(rule: Rule, today: date) -> Q:
    """The accounts whose cause cleared: for a band rule, green again (a red account
    that turned yellow still needs the play); for the others, the trigger no longer
    holds."""
    if rule.trigger == Rule.Trigger.BAND:
        green = AccountHealth.objects.filter(account_id=OuterRef("pk"), effective_band=Band.GREEN)
        return Q(Exists(green))
    return ~condition(rule, today)


def cause_text(rule: Rule) -> str:
    """The cause a play records, in the installation's language at the start."""
    return _("Rule “%(rule)s”: %(trigger)s") % {
        "rule": rule.name,
        "trigger": rule.get_trigger_display(),
    }


def _in_scope(rule: Rule, account_ids: list[int] | None) -> QuerySet[Account]:
    accounts = Account.objects.all()
    if account_ids is not None:
        accounts = accounts.filter(pk__in=account_ids)
    if rule.segment:
        accounts = accounts.filter(segment=rule.segment)
    return accounts


# --- Starting -------------------------------------------------------------------------


#: A step's due day, ``today`` (the first parameter) plus its days: PostgreSQL adds days
#: to a date; SQLite (the embedded default of `make run`) has date() modifiers.
_DUE_ON = {
    "postgresql": "%s::date + s.due_in_days",
    "sqlite": "date(%s, '+' || s.due_in_days || ' days')",
}


def _step_tasks_sql(plays: int) -> str:
    """One INSERT … SELECT that writes the tasks of every step of the given plays.

    The owner: the account's CSM; a named person (or the CSM when that person left);
    or the first active user with the role (or the CSM when there is none).
    """
    task, step = Task._meta.db_table, PlaybookStep._meta.db_table
    play, account = Play._meta.db_table, Account._meta.db_table
    user = User._meta.db_table
    postgres = connection.vendor == "postgresql"
    due_on = _DUE_ON["postgresql" if postgres else "sqlite"]
    # One array parameter on PostgreSQL (a first run may start tens of thousands of
    # plays, past its 65,535 parameters); SQLite has no arrays.
    in_plays = "= ANY(%s)" if postgres else f"IN ({', '.join(['%s'] * plays)})"
    return f"""
        INSERT INTO {task} (account_id, play_id, step_id, title, notes, owner_id, due_on,
                            priority, status, skip_reason, keep, created_by_id, rule_id,
                            created_at)
        SELECT p.account_id, p.id, s.id, s.title, '',
               COALESCE(
                   CASE s.owner_kind
                       WHEN 'person' THEN (SELECT u.id FROM {user} u
                                           WHERE u.id = s.owner_user_id AND u.is_active)
                       WHEN 'role' THEN (SELECT MIN(u.id) FROM {user} u
                                         WHERE u.role = s.owner_role AND u.is_active)
                   END,
                   a.csm_owner_id, p.started_by_id),
               {due_on}, 'normal', 'open', '', false, p.started_by_id,
               p.rule_id, %s
        FROM {play} p
        JOIN {step} s ON s.playbook_id = p.playbook_id
        JOIN {account} a ON a.id = p.account_id
        WHERE p.id {in_plays}
        ORDER BY p.id, s.position, s.id
    """  # noqa: S608 - table names and placeholders only, values as parameters


def _write_step_tasks(play_ids: list[int], today: date, now: datetime) -> None:
    if not play_ids:
        return
    with connection.cursor() as cursor:
        ids: list[Any] = [play_ids] if connection.vendor == "postgresql" else play_ids
        cursor.execute(_step_tasks_sql(len(play_ids)), [today, now, *ids])


@transaction.atomic
def play_start(*, actor: User, playbook: Playbook, account: Account) -> tuple[Play, bool]:
    """Start a playbook on an account by hand; (the play, whether it is new).

    Starting one that is already running on the account returns the running play: a
    double click or a retried request starts nothing twice.
    """
    if actor.role not in PLAY_STARTERS:
        raise PermissionDenied(_("Only customer success managers and admins start plays."))
    if not playbook.steps.exists():
        raise ValidationError(_("This playbook has no steps yet."))
    now = timezone.now()
    health = AccountHealth.objects.filter(account=account).values_list("effective_band", flat=True)
    play_table = Play._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {play_table} (playbook_id, account_id, started_by_id, state, cause,
                                      band_at_start, started_at)
            VALUES (%s, %s, %s, 'active', %s, %s, %s)
            ON CONFLICT (account_id, playbook_id) WHERE state = 'active' DO NOTHING
            RETURNING id
            """,  # noqa: S608 - table names only, values as parameters
            [
                playbook.pk,
                account.pk,
                actor.pk,
                _("Started by hand"),
                health.first() or "",
                now,
            ],
        )
        row = cursor.fetchone()
    if row is None:
        return Play.objects.get(account=account, playbook=playbook, state=Play.State.ACTIVE), False
    _write_step_tasks([row[0]], timezone.localdate(), now)
    return Play.objects.get(pk=row[0]), True


@dataclass(frozen=True)
class RulesOutcome:
    started: int
    resolved: int


def rules_evaluate(
    *, account_ids: Iterable[int] | None = None, today: date | None = None
) -> RulesOutcome:
    """Run every enabled rule over these accounts (None: every account), in bulk.

    Per rule: one statement starts the plays of the accounts that meet its condition,
    are in its segment, have no active play of the playbook and had none from this rule
    within its cool-down; one writes their steps' tasks; one closes the open, not-kept
    steps of the rule's active plays whose cause cleared. The number of statements
    depends on the number of rules, never on the number of accounts.
    """
    today = today or timezone.localdate()
    ids = None if account_ids is None else sorted({int(pk) for pk in account_ids})
    if ids is not None and not ids:
        return RulesOutcome(0, 0)
    started = resolved = 0
    rules = list(Rule.objects.filter(enabled=True).order_by("pk"))
    with transaction.atomic():
        for rule in rules:
            started += _start_for_rule(rule, ids, today)
            resolved += _resolve_for_rule(rule, ids, today)
    if started or resolved:
        logger.info("Rules started %s plays and closed %s", started, resolved)
    return RulesOutcome(started, resolved)


def _start_for_rule(rule: Rule, ids: list[int] | None, today: date) -> int:
    now = timezone.now()
    recent = Play.objects.filter(
        rule_id=rule.pk,
        account_id=OuterRef("pk"),
        started_at__gt=now - timedelta(days=rule.cooldown_days),
    )
    band = AccountHealth.objects.filter(account_id=OuterRef("pk")).values("effective_band")[:1]
    candidates = (
        _in_scope(rule, ids)
        .filter(condition(rule, today))
        .filter(~Exists(recent))
        .annotate(band_now=band)
        # Named columns: the statement below reads them as c.candidate and c.band_now
        # on both databases (SQLite takes no column list after a subquery's alias).
        .values("band_now", candidate=F("pk"))
        .order_by()
    )
    select_sql, select_params = candidates.query.sql_with_params()
    play_table = Play._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {play_table} (playbook_id, account_id, rule_id, state, cause,
                                      band_at_start, started_at)
            SELECT %s, c.candidate, %s, 'active', %s, COALESCE(c.band_now, ''), %s
            FROM ({select_sql}) AS c
            WHERE true  -- SQLite reads ON CONFLICT after a bare SELECT as a join's ON
            ON CONFLICT (account_id, playbook_id) WHERE state = 'active' DO NOTHING
            RETURNING id
            """,  # noqa: S608 - table names only, values as parameters
            [rule.playbook_id, rule.pk, cause_text(rule)[:300], now, *select_params],
        )
        play_ids = [row[0] for row in cursor.fetchall()]
    _write_step_tasks(play_ids, today, now)
    return len(play_ids)


def _resolve_for_rule(rule: Rule, ids: list[int] | None, today: date) -> int:
    recovered = _in_scope(rule, ids).filter(cleared(rule, today)).values("pk")
    plays = Play.objects.filter(rule=rule, state=Play.State.ACTIVE, account_id__in=recovered)
    return _resolve(plays)


def _resolve(plays: QuerySet[Play]) -> int:
    """Close the open, not-kept steps of these plays as no longer needed, and the plays.

    A step the CSM chose to keep stays open, on its own, after its play closed.
    """
    now = timezone.now()
    play_ids = list(plays.values_list("pk", flat=True))
    if not play_ids:
        return 0
    Task.objects.filter(play_id__in=play_ids, status=Task.Status.OPEN, keep=False).update(
        status=Task.Status.SKIPPED,
        skip_reason=_("No longer needed: the cause cleared."),
        closed_at=now,
    )
    return Play.objects.filter(pk__in=play_ids, state=Play.State.ACTIVE).update(
        state=Play.State.RESOLVED, finished_at=now
    )


@transaction.atomic
def play_cancel(*, actor: User, play: Play) -> Play:
    """Stop a play by hand: its open steps are skipped with the reason."""
    if actor.role not in PLAY_STARTERS:
        raise PermissionDenied(_("Only customer success managers and admins stop plays."))
    play = Play.objects.select_for_update().get(pk=play.pk)
    if play.state != Play.State.ACTIVE:
        raise ValidationError(_("This play is no longer running."))
    now = timezone.now()
    Task.objects.filter(play=play, status=Task.Status.OPEN).update(
        status=Task.Status.SKIPPED,
        skip_reason=_("The play was stopped."),
        closed_at=now,
        closed_by=actor,
    )
    play.state, play.finished_at = Play.State.CANCELLED, now
    play.save(update_fields=["state", "finished_at"])
    return play


def rules_after_job(job: Any) -> None:
    """``core.jobs`` finish hook: a health, onboarding or product-risk job that succeeded
    queues one rules pass over the accounts it touched, after commit."""
    if job.kind not in RULE_JOB_KINDS:
        return
    queue_task_on_commit("plays.tasks.evaluate_rules", job_id=job.pk)


#: The recomputes whose results the rules read.
RULE_JOB_KINDS = frozenset({"health", "ttfv", "productrisk"})


def rules_evaluate_for_job(*, job_id: int) -> RulesOutcome | None:
    """The rules over a finished job's accounts (all of them for a full job or one that
    is not per account); None when the job is gone or did not succeed."""
    job = Job.objects.filter(pk=job_id, status=Job.Status.SUCCEEDED).first()
    if job is None:
        return None
    ids = None if job.is_full or not job.account_ids else list(job.account_ids)
    return rules_evaluate(account_ids=ids, today=job.day or None)
