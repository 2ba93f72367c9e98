"""Recompute health now, in this process, with a progress bar on a terminal."""

from __future__ import annotations

from datetime import date, timedelta
from typing import cast

from django.core.management.base import BaseCommand, CommandError

from core.models import Job
from healthscores import services


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--day {value!r} is not a date like 2026-11-23.") from None


class Command(BaseCommand):
    help = (
        "Recompute health scores for every account (or --account IDs) for today or --day; "
        "--backfill N recomputes the N days ending there, oldest first, after a scorecard "
        "change. --queue hands the work to the Celery workers instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--account", dest="account_ids", type=int, nargs="+", metavar="ID", default=None
        )
        parser.add_argument(
            "--day", type=_day, default=None, help="YYYY-MM-DD (default today, UTC)"
        )
        parser.add_argument(
            "--backfill", type=int, default=0, metavar="DAYS", help="Recompute this many days."
        )
        parser.add_argument("--queue", action="store_true", help="Queue to Celery and return.")

    def handle(self, *args, account_ids, day, backfill, queue, **options):
        if backfill < 0:
            raise CommandError("--backfill must be a positive number of days.")
        last = day or services.today_utc()
        if last > services.today_utc():
            raise CommandError("--day cannot be in the future: there is no data for it yet.")
        days = [last - timedelta(days=n) for n in range(max(backfill, 1) - 1, -1, -1)]
        # Backfilled history is rewritten quietly; only the newest day may alert.
        for index, current in enumerate(days, start=1):
            alerts = current == services.today_utc()
            if queue:
                run = services.recompute_request(
                    account_ids=account_ids, day=current, raise_alerts=alerts
                )
                self.stdout.write(
                    f"Recompute #{run.pk} for {current} queued for the Celery workers."
                )
                continue
            label = f"{current} ({index}/{len(days)})"
            run = services.recompute_now(
                account_ids=account_ids,
                day=current,
                raise_alerts=alerts,
                progress=self._progress(label),
            )
            self._finish_line()
            if run.status != Job.Status.SUCCEEDED:
                raise CommandError(
                    f"Recompute #{run.pk} {run.get_status_display().lower()}: {run.error}"
                )
            # A job that succeeded has started and finished, so it has a duration.
            duration = cast(timedelta, run.duration)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Recompute #{run.pk} for {current}: {run.accounts_processed} accounts "
                    f"in {duration.total_seconds():.1f} s."
                )
            )

    def _progress(self, label: str):
        if not self.stdout.isatty():
            return None
        width = 30

        def draw(done: int, total: int) -> None:
            filled = width * done // total
            bar = "#" * filled + "-" * (width - filled)
            self.stdout.write(f"\r{label} [{bar}] {100 * done // total:3d}%", ending="")
            self.stdout.flush()

        return draw

    def _finish_line(self) -> None:
        if self.stdout.isatty():
            self.stdout.write("")
