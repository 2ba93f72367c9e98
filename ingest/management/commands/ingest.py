from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ingest.models import ImportJob
from ingest.services.imports import import_file


class Command(BaseCommand):
    help = "Import a CSV file of accounts, contacts, usage, tickets or surveys."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ImportJob.Kind.values)
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--partial",
            action="store_true",
            help="Import the valid rows and report the others (default: all or nothing).",
        )

    def handle(self, *args, kind: str, file: Path, partial: bool, **options):
        if not file.is_file():
            raise CommandError(f"{file} is not a file.")
        job = import_file(kind=kind, path=file, partial=partial)
        for warning in job.warnings:
            self.stderr.write(self.style.WARNING(warning))
        self.stdout.write(
            f"{job.get_status_display()}: {job.rows_seen} rows seen, {job.rows_inserted} "
            f"inserted, {job.rows_updated} updated, {job.rows_duplicate} duplicates, "
            f"{job.rows_rejected} rejected in {job.duration_seconds or 0:.1f} s (job #{job.pk})."
        )
        for error in job.errors:
            self.stderr.write(f"  row {error['row']}, {error['column']}: {error['reason']}")
        if job.rows_rejected > len(job.errors):
            self.stderr.write(f"  … and {job.rows_rejected - len(job.errors)} more.")
        if job.status != ImportJob.Status.SUCCEEDED:
            raise CommandError(job.message or job.get_status_display())
