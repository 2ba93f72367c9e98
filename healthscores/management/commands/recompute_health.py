from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from healthscores import services
from healthscores.models import RecomputeRun


class Command(BaseCommand):
    help = "Queue a health recompute for every account, or for the given account IDs."

    def add_arguments(self, parser):
        parser.add_argument("account_ids", nargs="*", type=int, help="Account IDs (default: all).")

    def handle(self, *args, account_ids: list[int], **options):
        with transaction.atomic():
            run = services.recompute_request(account_ids=account_ids or None)
        run.refresh_from_db()
        if run.status == RecomputeRun.Status.FAILED:
            raise CommandError(f"Recompute #{run.pk} failed: {run.error}")
        if run.status == RecomputeRun.Status.SUCCEEDED:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Recompute #{run.pk} done, accounts processed: {run.accounts_processed}."
                )
            )
        else:
            self.stdout.write(f"Recompute #{run.pk} queued for the Celery workers.")
