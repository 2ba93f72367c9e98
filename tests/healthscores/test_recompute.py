"""The recompute job: queued after commit, claimed once, run by inline tasks or a real worker."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from accounts.signals import announce_account_data_changed
from core import jobs
from core.models import Job, JobChunk
from healthscores import services
from healthscores.measures import (
    FAMILIES,
    MEASURES,
    Family,
    MeasureType,
    register_family,
    register_measure,
)
from healthscores.models import AccountHealth, HealthSnapshot, Scorecard
from healthscores.tasks import recompute_health_all
from ingest.services.imports import import_records
from tests.accounts.factories import AccountFactory, ContactFactory, DailyUsageFactory, UserFactory
from tests.healthscores.factories import SentimentFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_request_queues_the_task_only_after_commit(django_capture_on_commit_callbacks):
    accounts = AccountFactory.create_batch(2)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = services.recompute_request(account_ids=[a.pk for a in accounts])
    run.refresh_from_db()
    assert run.status == Job.Status.QUEUED
    assert len(callbacks) == 1
    callbacks[0]()
    run.refresh_from_db()
    assert run.status == Job.Status.SUCCEEDED
    assert run.accounts_processed == 2
    assert run.started_at <= run.finished_at


@pytest.mark.django_db
def test_a_run_delivered_twice_runs_once(django_capture_on_commit_callbacks):
    AccountFactory()
    with django_capture_on_commit_callbacks(execute=False):
        run = services.recompute_request()
    assert jobs.job_run(job_id=run.pk) is not None
    finished = Job.objects.get(pk=run.pk).finished_at
    assert jobs.job_run(job_id=run.pk) is None
    assert Job.objects.get(pk=run.pk).finished_at == finished


@pytest.mark.django_db
def test_a_vanished_run_is_ignored():
    assert jobs.job_run(job_id=987654) is None


@pytest.mark.django_db
def test_nightly_entry_recomputes_every_account(django_capture_on_commit_callbacks):
    AccountFactory.create_batch(3)
    with django_capture_on_commit_callbacks(execute=True):
        recompute_health_all.delay()
    run = Job.objects.get()
    assert run.is_full
    assert run.accounts_processed == 3


@pytest.mark.django_db
def test_data_change_announced_by_accounts_wakes_a_health_recompute(
    django_capture_on_commit_callbacks,
):
    accounts = AccountFactory.create_batch(2)
    with django_capture_on_commit_callbacks(execute=True):
        announce_account_data_changed([accounts[1].pk, accounts[0].pk, accounts[0].pk])
    # The first run is the announcement's; the onboarding recompute it also woke may ask
    # for a second one for the accounts whose TTFV it set.
    run = Job.objects.order_by("pk").first()
    assert run.account_ids == sorted(a.pk for a in accounts)
    assert run.status == Job.Status.SUCCEEDED


@pytest.mark.django_db
def test_nothing_is_announced_for_no_accounts(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        announce_account_data_changed([])
    assert callbacks == []
    assert not Job.objects.exists()


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _snapshot_rows():
    return list(
        HealthSnapshot.objects.order_by("account_id", "day").values_list(
            "account_id", "day", "score", "band", "components", "override_band", "divergent"
        )
    )


def _worker(log_path, **extra_env):
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        # The worker computes "today" on the test's pinned clock (tests/pinned_process.py).
        "CSPLATFORM_TEST_NOW": timezone.now().isoformat(),
        **extra_env,
    }
    with log_path.open("w") as out:
        return subprocess.Popen(
            [
                sys.executable, "-m", "tests.pinned_process", "celery", "-A", "csplatform",
                "worker",
                "--pool=solo", "--without-gossip", "--without-mingle", "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip


def _wait_for(predicate, worker, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and worker.poll() is None:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.needs_postgres
@pytest.mark.needs_redis
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_computes_chunked_runs_exactly_like_inline_and_fresh_data_within_a_minute(
    tmp_path,
):
    """GIVEN a Celery worker process on the real Redis and the test database, planning
    chunks of two accounts
    WHEN a full recompute is requested
    THEN its chunks give exactly the snapshots of an inline recompute; and
    WHEN a batch of usage events is ingested
    THEN the account's score reflects it within 60 seconds."""
    csm = UserFactory(role="csm")
    accounts = AccountFactory.create_batch(5, licensed_seats=4, csm_owner=csm)
    today = services.today_utc()
    for index, account in enumerate(accounts):
        DailyUsageFactory(account=account, day=today - timedelta(days=40), event_count=50)
        DailyUsageFactory(account=account, day=today, event_count=20 * index)
        SentimentFactory(account=account, value=["red", "yellow", "green"][index % 3])
    services.recompute_now()
    inline = _snapshot_rows()
    HealthSnapshot.objects.all().delete()
    AccountHealth.objects.all().delete()

    log = tmp_path / "worker.log"
    worker = _worker(log, HEALTH_CHUNK_SIZE="2")
    try:
        with transaction.atomic():
            run = services.recompute_request()

        def finished():
            run.refresh_from_db()
            return run.status in (Job.Status.SUCCEEDED, Job.Status.FAILED)

        _wait_for(finished, worker)
        assert run.status == Job.Status.SUCCEEDED, log.read_text()[-3000:]
        assert (run.chunks_total, run.chunks_done, run.accounts_processed) == (3, 3, 5)
        assert _snapshot_rows() == inline

        target = accounts[0]
        before = AccountHealth.objects.get(account=target).computed_at
        contact = ContactFactory(account=target, email="new.user@example.com")
        started = time.monotonic()
        import_records(
            kind="usage",
            source="api",
            records=[
                {
                    "account_external_id": target.external_id,
                    "event": "report.viewed",
                    "occurred_at": timezone.now().isoformat(),
                    "contact_email": contact.email,
                    "message_id": f"fresh-{n}",
                }
                for n in range(3)
            ],
        )

        def rescored():
            health = AccountHealth.objects.get(account=target)
            snap = HealthSnapshot.objects.get(account=target, day=today)
            return health.computed_at > before and snap.components["active_users"]["raw"] == 0.25

        assert _wait_for(rescored, worker), log.read_text()[-3000:]
        assert time.monotonic() - started < 60
    finally:
        worker.terminate()
        worker.wait(timeout=20)
    assert "core.tasks.run_job_chunk" in log.read_text()


@pytest.mark.django_db(transaction=True)
def test_command_recomputes_inline_in_the_embedded_mode():
    from io import StringIO

    from django.core.management import call_command

    accounts = AccountFactory.create_batch(2)
    out = StringIO()
    call_command("recompute_health", "--account", str(accounts[0].pk), stdout=out)
    assert ": 1 accounts in" in out.getvalue()
    assert Job.objects.get().account_ids == [accounts[0].pk]


@pytest.mark.django_db
def test_one_announcement_gathers_several_into_one_recompute(django_capture_on_commit_callbacks):
    from accounts.signals import one_announcement

    first, second = AccountFactory.create_batch(2)
    with django_capture_on_commit_callbacks(execute=True), one_announcement():
        announce_account_data_changed([first.pk])
        announce_account_data_changed([second.pk, first.pk])
    assert Job.objects.order_by("pk").first().account_ids == sorted([first.pk, second.pk])


@pytest.mark.django_db
def test_one_announcement_announces_nothing_when_its_block_fails(
    django_capture_on_commit_callbacks,
):
    from accounts.signals import one_announcement

    account = AccountFactory()

    def failing_load():
        with one_announcement():
            announce_account_data_changed([account.pk])
            raise RuntimeError("the load failed")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        failing_load()
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_a_full_run_is_split_into_chunks_with_the_same_result_as_one_chunk(
    settings, django_capture_on_commit_callbacks
):
    accounts = AccountFactory.create_batch(5, licensed_seats=3)
    for index, account in enumerate(accounts):
        DailyUsageFactory(account=account, event_count=index + 1)
        SentimentFactory(account=account, value="red")
    services.recompute_now()
    whole = _snapshot_rows()
    HealthSnapshot.objects.all().delete()

    settings.HEALTH_CHUNK_SIZE = 2
    with django_capture_on_commit_callbacks(execute=True):
        run = services.recompute_request()
    run.refresh_from_db()
    assert run.status == Job.Status.SUCCEEDED
    assert (run.chunks_total, run.chunks_done, run.accounts_processed) == (3, 3, 5)
    assert run.accounts_total == 5
    assert run.progress == 100
    assert _snapshot_rows() == whole


@pytest.mark.django_db
def test_a_request_takes_account_ids_and_a_day(django_capture_on_commit_callbacks):
    account = AccountFactory()
    day = services.today_utc() - timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.recompute_request(account_ids=[account.pk], day=day)
    run = Job.objects.get()
    assert (run.account_ids, run.day, run.status) == ([account.pk], day, "succeeded")
    assert HealthSnapshot.objects.get().day == day


@pytest.mark.django_db
def test_a_second_full_run_stands_down_while_one_is_running(django_capture_on_commit_callbacks):
    AccountFactory()
    running = Job.objects.create(
        is_full=True, status="running", started_at=timezone.now(), heartbeat_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        second = services.recompute_request()
    second.refresh_from_db()
    assert second.status == Job.Status.SKIPPED
    assert f"#{running.pk}" in second.error
    assert not HealthSnapshot.objects.exists()
    # Runs for a few accounts are not held up by a full run.
    with django_capture_on_commit_callbacks(execute=True):
        partial = services.recompute_request(account_ids=[AccountFactory().pk])
    partial.refresh_from_db()
    assert partial.status == Job.Status.SUCCEEDED


@pytest.mark.django_db
def test_a_chunk_delivered_twice_is_computed_once(django_capture_on_commit_callbacks):
    AccountFactory.create_batch(2)
    with django_capture_on_commit_callbacks(execute=False):
        run = services.recompute_request()
    jobs.job_run(job_id=run.pk, inline=True)
    chunk = JobChunk.objects.get(job=run)
    assert jobs.job_chunk_run(chunk_id=chunk.pk) is False
    run.refresh_from_db()
    assert (run.chunks_done, run.accounts_processed) == (1, 2)


@pytest.fixture
def failing_measure():
    """A measure whose raw values cannot be read, added through the public registry."""

    def unreadable(ctx):
        raise ValueError("the source of this measure is unreachable")

    register_family(Family("unreadable", unreadable))
    register_measure(
        MeasureType(
            key="unreadable", label="Unreadable", description="", family="unreadable",
            column="unreadable", unit="count", direction="higher", points=((0, 0), (1, 100)),
            weight=1, evidence="usage",
        )
    )  # fmt: skip
    Scorecard.objects.get(segment="").measures.create(
        kind="unreadable", weight=1, direction="higher", points=[[0, 0], [1, 100]]
    )
    yield
    FAMILIES.pop("unreadable")
    MEASURES.pop("unreadable")


@pytest.mark.django_db
def test_a_failing_chunk_fails_the_run_with_its_error_and_writes_nothing(
    failing_measure, django_capture_on_commit_callbacks
):
    AccountFactory.create_batch(2)
    # The task re-raises for Celery to log; the run row keeps the error for people.
    with (
        pytest.raises(ValueError, match="unreachable"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.recompute_request()
    run = Job.objects.get()
    assert run.status == Job.Status.FAILED
    assert "unreachable" in run.error
    assert run.finished_at is not None
    assert JobChunk.objects.get(job=run).status == JobChunk.Status.FAILED
    assert not HealthSnapshot.objects.exists()
