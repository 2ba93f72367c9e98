"""A burst of tracking batches against a real worker: the recomputes the batches ask for
coalesce into one pending run per kind, and the scores reflect the whole burst within
60 s of its end.

Real components: PostgreSQL, a Redis of the test's own, a Celery worker process. The
batches go through the tracking door in this process, whose announcements are sent to
that Redis after commit, as gunicorn's would be.
"""

from __future__ import annotations

import base64
import json
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import UsageEvent
from core.models import Job
from healthscores.models import HealthSnapshot
from tests.accounts.factories import AccountFactory
from tests.ingest.factories import WriteKeyFactory
from tests.processes import broker_at, redis_server, start_worker, stop, wait_for

pytestmark = [
    pytest.mark.needs_postgres,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(180),
]

ACCOUNTS = 12
BATCHES = 24
EVENTS = 100
#: Between batches: the burst lasts several debounce windows, so runs start during it.
PAUSE = 0.4
DEBOUNCE = 3


def _batch(n: int, accounts: list[str]) -> str:
    now = timezone.now()
    return json.dumps(
        {
            "batch": [
                {
                    "type": "track",
                    "event": "report.viewed",
                    "userId": f"user{i % 5}@burst.example",
                    "groupId": accounts[(n + i) % len(accounts)],
                    "messageId": f"burst-{n}-{i}",
                    "timestamp": (now - timedelta(minutes=i)).isoformat(),
                }
                for i in range(EVENTS)
            ]
        }
    )


def _queued(kind: str) -> int:
    return Job.objects.filter(kind=kind, status=Job.Status.QUEUED).count()


def test_a_burst_coalesces_its_recomputes_and_is_scored_within_a_minute(client, settings, tmp_path):
    """GIVEN a worker, and 24 batches over 12 accounts sent over ten seconds or more
    WHEN each batch asks for the health and onboarding recomputes of its accounts
    THEN at no moment is more than one run of a kind waiting, a few runs serve the
    whole burst instead of one per batch, and the run waiting when the burst ended
    (claimed after its last batch committed, so reading all of it) has scored every
    account within 60 s of the end."""
    settings.JOB_DEBOUNCE_SECONDS = DEBOUNCE
    accounts = [AccountFactory(external_id=f"BURST-{n:02d}").external_id for n in range(ACCOUNTS)]
    auth = "Basic " + base64.b64encode(f"{WriteKeyFactory().key}:".encode()).decode()
    log = tmp_path / "worker.log"
    with redis_server() as redis, broker_at(redis.url):
        worker = start_worker(redis.url, log, JOB_HEARTBEAT_SECONDS="1")
        try:
            assert wait_for(lambda: "ready" in log.read_text(), 60), log.read_text()[-3000:]
            most_waiting = 0
            began = time.monotonic()
            for n in range(BATCHES):
                response = client.post(
                    reverse("tracking:batch"),
                    data=_batch(n, accounts),
                    content_type="application/json",
                    HTTP_AUTHORIZATION=auth,
                )
                assert response.status_code == 200, response.content
                most_waiting = max(most_waiting, _queued("health"), _queued("ttfv"))
                time.sleep(PAUSE)
            ended = time.monotonic()
            # Every batch folded into the job waiting, or queued a new one: the newest
            # job of each kind is the one that serves the end of the burst.
            last = {kind: Job.objects.filter(kind=kind).latest("pk") for kind in ("health", "ttfv")}

            def scored() -> bool:
                for job in last.values():
                    job.refresh_from_db()
                return all(job.status == Job.Status.SUCCEEDED for job in last.values())

            assert wait_for(scored, 60, 0.25), log.read_text()[-3000:]
            took = time.monotonic() - ended
        finally:
            stop(worker)

    assert UsageEvent.objects.count() == BATCHES * EVENTS
    assert most_waiting == 1
    # A run is queued only when none waits, and then waits the debounce: one run per
    # window of the burst at most, however slow a busy machine makes the batches.
    runs = Job.objects.filter(kind="health").count()
    assert runs <= (ended - began) / DEBOUNCE + 1, f"{runs} runs in {ended - began:.0f} s"
    assert runs < BATCHES // 2
    assert last["health"].accounts_processed == ACCOUNTS
    today = timezone.now().date()
    assert HealthSnapshot.objects.filter(day=today).count() == ACCOUNTS
    assert took < 60
