"""The Celery beat schedule, defined in code and overridable per entry from the environment.

Each entry reads ``BEAT_<NAME>`` (for instance ``BEAT_RECOMPUTE_HEALTH="30 3 * * *"``):
a five-field cron expression replaces the default, and ``off`` disables the entry.
Every entry expires before its next run so that a backlog never piles up runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from celery.schedules import crontab

from csplatform.env import ConfigError, Env


@dataclass(frozen=True)
class BeatEntry:
    name: str
    task: str
    cron: str
    expires: timedelta

    @property
    def env_name(self) -> str:
        return "BEAT_" + self.name.upper().replace("-", "_")


def parse_cron(expression: str, *, variable: str) -> crontab:
    fields = expression.split()
    if len(fields) != 5:
        raise ConfigError(
            f"{variable}={expression!r} must be a cron expression with five fields "
            "(minute hour day-of-month month day-of-week) or 'off'."
        )
    minute, hour, day_of_month, month_of_year, day_of_week = fields
    try:
        return crontab(
            minute=minute,
            hour=hour,
            day_of_month=day_of_month,
            month_of_year=month_of_year,
            day_of_week=day_of_week,
        )
    except ValueError as exc:
        raise ConfigError(
            f"{variable}={expression!r} is not a valid cron expression ({exc})."
        ) from None


def build_schedule(entries: list[BeatEntry], env: Env) -> dict[str, dict]:
    schedule: dict[str, dict] = {}
    for entry in entries:
        expression = env.str(entry.env_name, entry.cron)
        if expression.lower() == "off":
            continue
        schedule[entry.name] = {
            "task": entry.task,
            "schedule": parse_cron(expression, variable=entry.env_name),
            "options": {"expires": entry.expires.total_seconds()},
        }
    return schedule


DEFAULT_ENTRIES = [
    # Before health: the health score reads each onboarding's TTFV.
    BeatEntry(
        name="recompute-ttfv",
        task="ttfv.tasks.recompute_ttfv",
        cron="0 2 * * *",
        expires=timedelta(hours=23),
    ),
    BeatEntry(
        name="recompute-health",
        task="healthscores.tasks.recompute_health_all",
        cron="15 2 * * *",
        expires=timedelta(hours=23),
    ),
    # Product-risk flags follow votes, tickets, ARR, health and renewals; votes and
    # ingests also queue a debounced run, this catches everything else (renewal windows
    # moving with the date, health recomputes).
    BeatEntry(
        name="recompute-product-risk",
        task="productrisk.tasks.recompute_product_risk",
        cron="40 * * * *",
        expires=timedelta(minutes=50),
    ),
    # Owners hear of each overdue task once; hourly, so a task due yesterday is flagged
    # early in every time zone's morning.
    BeatEntry(
        name="notify-overdue-tasks",
        task="plays.tasks.notify_overdue_tasks",
        cron="5 * * * *",
        expires=timedelta(minutes=50),
    ),
    # Raising an alert queues its e-mail; this sends what waited for a mail server that
    # was away, so an outage delays e-mails, never loses them.
    BeatEntry(
        name="send-alert-emails",
        task="notifications.tasks.send_alert_emails",
        cron="*/10 * * * *",
        expires=timedelta(minutes=9),
    ),
    # Idea notifications whose undo window has passed. Each change also queues the
    # delivery for the end of its window; this catches what a broker lost or a worker
    # restart dropped, within a minute.
    BeatEntry(
        name="deliver-idea-notifications",
        task="feedback.tasks.deliver_pending_notifications",
        cron="* * * * *",
        expires=timedelta(seconds=50),
    ),
    # Hourly, because each person's digest goes out in their own morning: every hour
    # some time zone reaches it. A person's day is sent once however often this runs.
    BeatEntry(
        name="send-digests",
        task="notifications.tasks.send_digests",
        cron="5 * * * *",
        expires=timedelta(minutes=50),
    ),
    # The reapers and re-senders of background work: a job, chunk or import whose
    # worker died (its heartbeat stopped) goes to another worker within about two
    # minutes, and a queued one the broker never delivered (it was away, or lost it)
    # is sent again. The rows in the database are the queue; the broker only carries.
    BeatEntry(
        name="recover-jobs",
        task="core.tasks.recover_jobs",
        cron="* * * * *",
        expires=timedelta(seconds=50),
    ),
    BeatEntry(
        name="recover-imports",
        task="ingest.tasks.recover_imports",
        cron="* * * * *",
        expires=timedelta(seconds=50),
    ),
    # Used sign-in token IDs guard against replay only until their token expires.
    BeatEntry(
        name="prune-sso-token-uses",
        task="accounts.tasks.prune_sso_token_uses",
        cron="20 * * * *",
        expires=timedelta(minutes=50),
    ),
    # Uploads are deleted when their import ends; this removes any that a crash left.
    BeatEntry(
        name="sweep-import-uploads",
        task="ingest.tasks.sweep_import_uploads",
        cron="45 3 * * *",
        expires=timedelta(hours=23),
    ),
]
