"""The recompute job: queued after commit, claimed once, run by inline tasks or a real worker."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction

from accounts.signals import announce_account_data_changed
from healthscores import services
from healthscores.models import RecomputeRun
from healthscores.tasks import recompute_health_all
from tests.accounts.factories import AccountFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_request_queues_the_task_only_after_commit(django_capture_on_commit_callbacks):
    accounts = AccountFactory.create_batch(2)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = services.recompute_request(account_ids=[a.pk for a in accounts])
    run.refresh_from_db()
    assert run.status == RecomputeRun.Status.QUEUED
    assert len(callbacks) == 1
    callbacks[0]()
    run.refresh_from_db()
    assert run.status == RecomputeRun.Status.SUCCEEDED
    assert run.accounts_processed == 2
    assert run.started_at <= run.finished_at


@pytest.mark.django_db
def test_a_run_delivered_twice_runs_once(django_capture_on_commit_callbacks):
    AccountFactory()
    with django_capture_on_commit_callbacks(execute=False):
        run = services.recompute_request()
    assert services.recompute_run(run_id=run.pk) is not None
    finished = RecomputeRun.objects.get(pk=run.pk).finished_at
    assert services.recompute_run(run_id=run.pk) is None
    assert RecomputeRun.objects.get(pk=run.pk).finished_at == finished


@pytest.mark.django_db
def test_a_vanished_run_is_ignored():
    assert services.recompute_run(run_id=987654) is None


@pytest.mark.django_db
def test_nightly_entry_recomputes_every_account(django_capture_on_commit_callbacks):
    AccountFactory.create_batch(3)
    with django_capture_on_commit_callbacks(execute=True):
        recompute_health_all.delay()
    run = RecomputeRun.objects.get()
    assert run.is_full
    assert run.accounts_processed == 3


@pytest.mark.django_db
def test_data_change_announced_by_accounts_wakes_a_health_recompute(
    django_capture_on_commit_callbacks,
):
    accounts = AccountFactory.create_batch(2)
    with django_capture_on_commit_callbacks(execute=True):
        announce_account_data_changed([accounts[1].pk, accounts[0].pk, accounts[0].pk])
    run = RecomputeRun.objects.get()
    assert run.account_ids == sorted(a.pk for a in accounts)
    assert run.status == RecomputeRun.Status.SUCCEEDED


@pytest.mark.django_db
def test_nothing_is_announced_for_no_accounts(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        announce_account_data_changed([])
    assert callbacks == []
    assert not RecomputeRun.objects.exists()


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.needs_postgres
@pytest.mark.needs_redis
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_celery_worker_runs_the_recompute_from_redis(tmp_path):
    """GIVEN a Celery worker process on the real Redis and the test database
    WHEN a recompute is requested and committed
    THEN the worker picks it from Redis and its result lands in the database."""
    log = tmp_path / "worker.log"
    env = {**os.environ, "DATABASE_URL": _database_url(), "REDIS_URL": settings.REDIS_URL}
    with log.open("w") as out:
        worker = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "csplatform", "worker",
                "--pool=solo", "--without-gossip", "--without-mingle", "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        accounts = AccountFactory.create_batch(3)
        with transaction.atomic():
            run = services.recompute_request(account_ids=[a.pk for a in accounts])
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and worker.poll() is None:
            run.refresh_from_db()
            if run.status in (RecomputeRun.Status.SUCCEEDED, RecomputeRun.Status.FAILED):
                break
            time.sleep(0.2)
    finally:
        worker.terminate()
        worker.wait(timeout=20)
    assert run.status == RecomputeRun.Status.SUCCEEDED, log.read_text()[-3000:]
    assert run.accounts_processed == 3
    assert "recompute_health" in log.read_text()


@pytest.mark.django_db(transaction=True)
def test_command_recomputes_inline_in_the_embedded_mode():
    from io import StringIO

    from django.core.management import call_command

    accounts = AccountFactory.create_batch(2)
    out = StringIO()
    call_command("recompute_health", "--account", str(accounts[0].pk), stdout=out)
    assert ": 1 accounts in" in out.getvalue()
    assert RecomputeRun.objects.get().account_ids == [accounts[0].pk]


@pytest.mark.django_db
def test_one_announcement_gathers_several_into_one_recompute(django_capture_on_commit_callbacks):
    from accounts.signals import one_announcement

    first, second = AccountFactory.create_batch(2)
    with django_capture_on_commit_callbacks(execute=True), one_announcement():
        announce_account_data_changed([first.pk])
        announce_account_data_changed([second.pk, first.pk])
    assert RecomputeRun.objects.get().account_ids == sorted([first.pk, second.pk])


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
    assert not RecomputeRun.objects.exists()
