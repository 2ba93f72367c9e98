"""Run one import job from start to end, all or nothing unless the job is partial."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO

import pandas as pd
from django.db import transaction
from django.db.models import Count, Min
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account, Source, User
from accounts.signals import announce_account_data_changed
from core.jobs import JobCause, cause_import, cause_tracking
from core.retry import atomic_with_retry
from core.roles import Role
from core.text import SINGLE_LINE_FORBIDDEN
from ingest.columns import SPECS, HeaderCheck, check_header
from ingest.models import MAX_STORED_ERRORS, ImportedAccount, ImportJob
from ingest.reader import FileProblem, open_csv
from ingest.rules import RULES, Lookups
from ingest.services.sinks import EntitySink, SinkResult, UsageSink

logger = logging.getLogger(__name__)


class _Run:
    """The state of one run; the job row is written once, after the transaction."""

    def __init__(self, job: ImportJob, header: HeaderCheck | None) -> None:
        self.job = job
        self.errors: list[dict] = []
        self.seen = 0
        self.rejected = 0
        # Row errors name the file's own header (the alias it used), not ours.
        self._file_columns = {
            column: name for name, column in (header.rename if header else {}).items()
        }
        self._asked: set[str] = set()
        self._accounts: dict[str, int] = {}
        self._names: dict[str, int] = {}
        self._shared_names: dict[str, int] = {}
        self._csms: dict[str, int] | None = None

    def lookups(self, frame: pd.DataFrame) -> Lookups:
        if "account_external_id" in frame:
            self._look_up_accounts(set(frame["account_external_id"].str.strip().unique()))
        if self._csms is None and self.job.kind == ImportJob.Kind.ACCOUNTS:
            self._csms = {
                email.lower(): pk
                for email, pk in User.objects.filter(role=Role.CSM)
                .exclude(email="")
                .values_list("email", "pk")
            }
        return Lookups(
            accounts=self._accounts,
            csms=self._csms or {},
            account_names=self._names,
            shared_names=self._shared_names,
        )

    def _look_up_accounts(self, values: set[str]) -> None:
        """By external ID, then the values that matched none by exact name in any case
        (helpdesk exports name the organisation), each distinct value asked once per run.
        The database counts each name's accounts, so a name two accounts bear is known
        as shared and refused, never given to either."""
        # None with a control character: PostgreSQL would refuse the whole query for one
        # NUL, and the rules refuse those rows anyway.
        wanted = {
            value
            for value in values - self._asked - {""}
            if not SINGLE_LINE_FORBIDDEN.search(value)
        }
        if not wanted:
            return
        self._asked |= wanted
        self._accounts.update(
            Account.objects.filter(external_id__in=wanted).values_list("external_id", "pk")
        )
        names = {value.lower() for value in wanted if value not in self._accounts}
        if not names:
            return
        matches = (
            Account.objects.annotate(key=Lower("name"))
            .filter(key__in=names)
            .values("key")
            .annotate(count=Count("pk"), first=Min("pk"))
            .values_list("key", "count", "first")
        )
        for name, count, pk in matches:
            if count == 1:
                self._names[name] = pk
            else:
                self._shared_names[name] = count

    def record(self, errors: pd.DataFrame) -> None:
        self.rejected += len(errors)
        room = MAX_STORED_ERRORS - len(self.errors)
        if room > 0 and len(errors):
            head = errors.head(room)
            self.errors.extend(
                {
                    "row": int(r),
                    "column": self._file_columns.get(str(c), str(c)),
                    "reason": str(why),
                }
                for r, c, why in head.itertuples(index=False, name=None)
            )


def _cause(job: ImportJob) -> JobCause:
    """What the recomputes this load wakes say caused them: the tracking API's events,
    or this import (by number, kind and file)."""
    if job.source == Source.SEGMENT:
        return cause_tracking()
    return cause_import(
        import_id=job.pk, kind=ImportJob.Kind(job.kind).label, file_name=job.file_name
    )


def run(
    job: ImportJob,
    frames: Iterable[pd.DataFrame] | Callable[[], Iterable[pd.DataFrame]],
    *,
    header: HeaderCheck | None = None,
    persist: bool = True,
) -> ImportJob:
    """Validate and land every frame of text columns for ``job``; return the job, saved
    unless ``persist`` is false (its counts then go into another job's).

    ``frames`` may be a function that reads them afresh: then a load the database
    aborted as the loser of a deadlock or a serialization failure is run again from
    the start (``core.retry``), instead of failing.
    """
    job.status = ImportJob.Status.RUNNING
    job.started_at = job.started_at or timezone.now()
    if header is not None:
        job.warnings = _header_warnings(header)
    runs: list[_Run] = []
    result = SinkResult()

    def attempt() -> SinkResult:
        state = _Run(job, header)
        runs.append(state)
        sink = UsageSink(job.source) if job.kind == ImportJob.Kind.USAGE else EntitySink(job.kind)
        for frame in frames() if callable(frames) else frames:
            state.seen += len(frame)
            checked = RULES[job.kind](frame, state.lookups(frame))
            state.record(checked.errors)
            sink.add(checked.rows)
        if state.seen == 0:
            raise FileProblem(_("The file has a header but no data rows."))
        if state.rejected and not job.partial:
            transaction.set_rollback(True)
            job.status = ImportJob.Status.REJECTED
            job.message = _(
                "%(count)d rows have errors, so nothing was imported. Fix them, or "
                "import the valid rows only."
            ) % {"count": state.rejected}
            return SinkResult()
        landed = sink.finish()
        _record_touched(job, landed.account_ids)
        announce_account_data_changed(landed.account_ids, cause=_cause(job))
        job.status = ImportJob.Status.SUCCEEDED
        return landed

    try:
        if callable(frames):
            result = atomic_with_retry(attempt)
        else:
            with transaction.atomic():
                result = attempt()
    except FileProblem as problem:
        job.status = ImportJob.Status.REJECTED
        job.message = str(problem)
    except Exception as exc:  # the job row must say it failed; the error is re-raised
        job.status = ImportJob.Status.FAILED
        job.message = _("The import failed: %(error)s") % {"error": exc}
        _save(job, runs[-1] if runs else _Run(job, header), result, persist)
        raise
    _save(job, runs[-1] if runs else _Run(job, header), result, persist)
    return job


def _record_touched(job: ImportJob, account_ids: Iterable[int]) -> None:
    """Remember which accounts this job landed rows for (their timelines list it).

    Only a recorded job has an id to point at: a tracking batch, counted into its
    minute's job afterwards, records none (see ``ImportedAccount``). The unique
    constraint makes a retried landing add nothing.
    """
    if job.pk is None:
        return
    now = timezone.now()
    ImportedAccount.objects.bulk_create(
        [
            ImportedAccount(job_id=job.pk, account_id=pk, landed_at=now)
            for pk in sorted(account_ids)
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )


def _save(job: ImportJob, state: _Run, result: SinkResult, persist: bool = True) -> None:
    job.rows_seen = state.seen
    job.rows_rejected = state.rejected
    job.rows_inserted = result.inserted
    job.rows_updated = result.updated
    job.rows_duplicate = result.duplicate
    job.errors = state.errors
    job.finished_at = timezone.now()
    if persist:
        job.save()


def _header_warnings(header: HeaderCheck) -> list[str]:
    warnings = []
    if header.unknown:
        warnings.append(
            _("Ignored unknown columns: %(columns)s.") % {"columns": _names(header.unknown)}
        )
    if header.duplicated:
        warnings.append(
            _("Ignored repeated columns: %(columns)s.") % {"columns": _names(header.duplicated)}
        )
    return warnings


def _names(columns: list[str]) -> str:
    """Column names as sent, shown safely: a control character in a JSON key would
    otherwise reach the job's stored warnings, where PostgreSQL refuses a NUL."""
    return ", ".join(SINGLE_LINE_FORBIDDEN.sub("\ufffd", name) for name in columns)


def run_csv(job: ImportJob, stream: BinaryIO) -> ImportJob:
    """Import a CSV stream (a file, an upload, a request body) into ``job``."""
    try:
        csv = open_csv(stream, kind=job.kind)
    except FileProblem as problem:
        return _reject(job, str(problem))
    if csv.header.missing:
        return _reject(
            job,
            _("Missing required columns: %(columns)s. Expected: %(expected)s.")
            % {
                "columns": ", ".join(csv.header.missing),
                "expected": ", ".join(SPECS[job.kind].required),
            },
            warnings=_header_warnings(csv.header),
        )

    first = [csv]

    def frames() -> Iterator[pd.DataFrame]:
        # A second reading (the load is run again after a conflict) opens it anew.
        reading = first.pop() if first else open_csv(_rewound(stream), kind=job.kind)
        for chunk in reading.chunks:
            # Read by the job's heartbeat, which writes it outside the import's transaction.
            job.bytes_done = chunk.bytes_read
            yield chunk.frame

    return run(job, frames if stream.seekable() else frames(), header=csv.header)


def _rewound(stream: BinaryIO) -> BinaryIO:
    stream.seek(0)
    return stream


def run_records(job: ImportJob, records: list[dict], *, persist: bool = True) -> ImportJob:
    """Import a list of JSON objects (the REST and tracking doors) into ``job``."""
    if not records:
        return _reject(job, _("The batch is empty."), persist=persist)
    frame = pd.DataFrame.from_records(records).astype(object)
    for column in frame.columns:
        nested = frame[column].map(lambda value: isinstance(value, dict | list))
        if nested.any():  # objects (Segment properties) travel as JSON text
            frame.loc[nested, column] = frame.loc[nested, column].map(json.dumps)
    frame = frame.where(frame.notna(), "").astype(str)
    header = check_header(job.kind, list(frame.columns))
    if header.missing:
        return _reject(
            job,
            _("Missing required fields: %(fields)s.") % {"fields": ", ".join(header.missing)},
            persist=persist,
        )
    frame = frame[list(header.rename)].rename(columns=header.rename)
    frame.index = pd.RangeIndex(1, len(frame) + 1)  # the n-th record of the batch
    return run(job, lambda: [frame], header=header, persist=persist)


def _reject(
    job: ImportJob, message: str, warnings: list[str] | None = None, *, persist: bool = True
) -> ImportJob:
    now = timezone.now()
    job.status = ImportJob.Status.REJECTED
    job.message = message
    job.warnings = warnings or []
    job.started_at = job.started_at or now
    job.finished_at = now
    if persist:
        job.save()
    return job
