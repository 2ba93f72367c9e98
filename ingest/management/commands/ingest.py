from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import Error as DatabaseError
from django.db import OperationalError
from django.utils.translation import gettext as _
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

from ingest.models import ImportJob
from ingest.services.imports import import_file

#: What a message broker that is away raises. Queueing after commit logs these instead,
#: so only a broker needed before the import ends could reach the command.
BROKER_ERRORS = (KombuError, RedisError)


def _one_line(error: BaseException) -> str:
    """Drivers spread their messages over lines (psycopg adds a hint on the second)."""
    return " ".join(str(error).split()) or type(error).__name__


class Command(BaseCommand):
    help = "Import a CSV file of accounts, contacts, usage, tickets, surveys or renewal outcomes."

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
            raise CommandError(_("%(file)s is not a file.") % {"file": file})
        # The services outside us fail with one clear line, not a traceback; the job row
        # (when the database could be reached) keeps the whole story.
        try:
            job = import_file(kind=kind, path=file, partial=partial)
        except OperationalError as exc:
            raise CommandError(
                _("The database cannot be reached: %(error)s") % {"error": _one_line(exc)}
            ) from None
        except DatabaseError as exc:
            raise CommandError(
                _("The database refused the import: %(error)s") % {"error": _one_line(exc)}
            ) from None
        except BROKER_ERRORS as exc:
            raise CommandError(
                _("The message broker cannot be reached: %(error)s") % {"error": _one_line(exc)}
            ) from None
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
