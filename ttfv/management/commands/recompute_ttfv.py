"""Recompute onboardings and TTFV now, with a progress bar on a terminal."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from ttfv import services


class Command(BaseCommand):
    help = (
        "Recompute onboarding status and time to first value for every account (or --account IDs)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--account", dest="account_ids", type=int, nargs="+", metavar="ID", default=None
        )

    def handle(self, *args, account_ids, **options):
        started = time.perf_counter()
        count = services.onboarding_recompute(account_ids=account_ids, progress=self._progress())
        if self.stdout.isatty():
            self.stdout.write("")
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(f"Onboarding recomputed for {count} accounts in {seconds:.1f} s.")
        )

    def _progress(self):
        if not self.stdout.isatty():
            return None

        def draw(done: int, total: int) -> None:
            filled = 30 * done // total
            self.stdout.write(
                f"\r[{'#' * filled}{'-' * (30 - filled)}] {100 * done // total:3d}%", ending=""
            )
            self.stdout.flush()

        return draw
