"""The command-line door when the services around it fail: one clear line, never a
traceback, and a job row that tells the truth while and after it runs."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections

from core.models import Job
from ingest.models import ImportJob
from ingest.services import staging
from tests.accounts.factories import AccountFactory

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    """A port nobody listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _cli(*args: str, database: str, redis: str = "") -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "CSPLATFORM_ENV": "development",
        "DATABASE_URL": database,
        "REDIS_URL": redis,
        "DJANGO_SETTINGS_MODULE": "csplatform.settings",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "ingest", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def database_for_a_subprocess(tmp_path) -> str:
    """The test database as another process reaches it: itself on PostgreSQL (the test
    commits, so it is flushed afterwards), a file copy of it on SQLite, whose test
    database lives in memory."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
        host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
        return f"postgres://{auth}@{host}/{settings['NAME']}"
    path = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)
    return f"sqlite:///{path}"


def _jobs(database: str) -> list[tuple[str, str]]:
    if database.startswith("sqlite:///"):
        with sqlite3.connect(database.removeprefix("sqlite:///")) as db:
            return db.execute("SELECT status, message FROM accounts_importjob").fetchall()
    return list(ImportJob.objects.values_list("status", "message"))


def _queued_recomputes(database: str) -> int:
    if database.startswith("sqlite:///"):
        with sqlite3.connect(database.removeprefix("sqlite:///")) as db:
            return db.execute(
                "SELECT count(*) FROM core_job WHERE status = 'queued' AND kind = 'health'"
            ).fetchone()[0]
    return Job.objects.filter(status=Job.Status.QUEUED, kind="health").count()


def test_an_unreachable_database_is_one_line_not_a_traceback(tmp_path):
    path = tmp_path / "accounts.csv"
    path.write_text("external_id,name\nN-1,Northwind\n")
    done = _cli(
        "accounts", str(path), database=f"postgres://nobody@127.0.0.1:{_free_port()}/nothing"
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    (line,) = done.stderr.splitlines()
    assert line.startswith("CommandError: The database cannot be reached: connection failed")


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_is_down_delays_the_recomputes_and_loses_nothing(
    tmp_path, database_for_a_subprocess
):
    """GIVEN Redis (broker and cache) down WHEN accounts are imported THEN they land, the
    job succeeded, no traceback, and the recompute they call for waits in the database
    for the broker to come back (core.jobs re-sends it)."""
    path = tmp_path / "accounts.csv"
    path.write_text("external_id,name\nN-1,Northwind\n")
    done = _cli(
        "accounts",
        str(path),
        database=database_for_a_subprocess,
        redis=f"redis://127.0.0.1:{_free_port()}/0",
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout.startswith("Succeeded: 1 rows seen, 1 inserted")
    ((status, _message),) = _jobs(database_for_a_subprocess)
    assert status == "succeeded"
    assert _queued_recomputes(database_for_a_subprocess) == 1


@pytest.mark.django_db(transaction=True)
def test_a_job_shows_running_with_its_start_while_the_cli_imports(tmp_path):
    """Seen from another connection while the rows are being staged."""
    AccountFactory(external_id="ACME")
    path = tmp_path / "usage.csv"
    path.write_text("account_external_id,event,occurred_at\nACME,login,2025-01-01T10:00:00\n")
    seen: list[tuple] = []
    observer = connections.create_connection("default")

    def watch(execute, sql, params, many, context):
        if not seen and staging.TABLE in sql:  # the load is under way
            with observer.cursor() as cursor:
                cursor.execute("SELECT status, started_at FROM accounts_importjob")
                seen.extend(cursor.fetchall())
        return execute(sql, params, many, context)

    try:
        with connection.execute_wrapper(watch):
            call_command("ingest", "usage", str(path), stdout=StringIO())
    finally:
        observer.close()
    ((status, started_at),) = seen
    assert status == ImportJob.Status.RUNNING
    assert started_at is not None
    job = ImportJob.objects.get()
    assert (job.status, job.rows_inserted) == (ImportJob.Status.SUCCEEDED, 1)
