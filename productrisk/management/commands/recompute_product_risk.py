"""Recompute the product-risk flags now, in this process (or queue it with --queue)."""

from __future__ import annotations

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from core import jobs
from core.models import Job
from productrisk.services.flags import KIND


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--day {value!r} is not a date like 2026-11-23.") from None


class Command(BaseCommand):
    help = (
        "Recompute every product-risk flag from votes, linked tickets, ARR, health, "
        "renewals and onboardings; notify PMs and CSMs of new or more severe flags. "
        "Idempotent. --queue hands it to the Celery workers instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--day",
            type=_day,
            default=None,
            help="YYYY-MM-DD renewals count from (default today, UTC)",
        )
        parser.add_argument("--queue", action="store_true", help="Queue to Celery and return.")

    def handle(self, *args, day, queue, **options):
        if queue:
            job = jobs.job_request(KIND, day=day)
            self.stdout.write(f"Product-risk recompute #{job.pk} queued for the Celery workers.")
            return
        started = time.perf_counter()
        job = jobs.job_now(KIND, day=day)
        if job.status != Job.Status.SUCCEEDED:
            raise CommandError(f"Product-risk recompute #{job.pk} {job.status}: {job.error}")
        result = job.result
        self.stdout.write(
            self.style.SUCCESS(
                f"Product risk recomputed (#{job.pk}) in {time.perf_counter() - started:.1f} s: "
                f"{result['ideas_with_evidence']} ideas with evidence, {result['opened']} flags "
                f"opened, {result['reopened']} re-opened, {result['updated']} updated, evidence "
                f"+{result['evidence_inserted']} ~{result['evidence_updated']} "
                f"-{result['evidence_deleted']}, {result['to_notify']} to notify."
            )
        )
