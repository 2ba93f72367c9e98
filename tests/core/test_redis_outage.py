"""Redis down: nothing answers 500, nothing is lost, and the work waits for its return.

Real components: gunicorn, PostgreSQL, a Redis of the test's own that the test stops and
starts, a Celery worker, and the ingest command. While Redis is down the board and the
idea pages answer from the database, a vote, a tracking batch, a REST and a command-line
import land and record the recomputes they need, and /healthz says the broker is down.
Once Redis is back, the beat's re-sender hands every waiting job to the worker; that
includes an upload whose message Redis lost when it restarted.
"""

from __future__ import annotations

import base64
import json
import secrets
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from rest_framework.authtoken.models import Token

from core import jobs
from core.models import Job
from core.roles import Role
from feedback.models import Vote
from ingest.models import ImportJob
from ingest.services import imports
from tests.accounts.factories import AccountFactory, UserFactory
from tests.feedback.factories import IdeaFactory
from tests.ingest.factories import WriteKeyFactory
from tests.processes import (
    ROOT,
    _env,
    broker_at,
    gunicorn,
    redis_server,
    start_worker,
    stop,
    wait_for,
)

pytestmark = [
    pytest.mark.needs_postgres,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(180),
]

#: Over the inline limit: the REST door hands it to a worker (202).
BIG_ROWS = 45_000


def _session(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def _browser(session: str) -> dict[str, str]:
    token = secrets.token_hex(16)
    return {
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={token}",
        "X-CSRFToken": token,
    }


def _usage_csv(rows: int, prefix: str) -> str:
    lines = "".join(f"ACME,report.viewed,2026-06-14T10:00:00Z,{prefix}-{n}\n" for n in range(rows))
    return "account_external_id,event,occurred_at,message_id\n" + lines


def test_with_redis_down_pages_and_writes_answer_and_work_waits_for_its_return(
    settings, tmp_path, clock
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    acme = AccountFactory(external_id="ACME", name="Acme", licensed_seats=5)
    customer = UserFactory(role=Role.CUSTOMER, contact__account=acme)
    csm = UserFactory(role=Role.CSM)
    idea = IdeaFactory(author=customer)
    token = Token.objects.create(user=csm).key
    key = WriteKeyFactory().key
    basic = base64.b64encode(f"{key}:".encode()).decode()
    browser = _browser(_session(customer))
    log = tmp_path / "processes.log"
    env = {"MEDIA_ROOT": settings.MEDIA_ROOT}

    with redis_server() as redis, gunicorn(redis.url, log, **env) as web:
        status, body = web.request("GET", "/healthz")
        assert status == 200, body
        assert json.loads(body)["broker"] == "ok"

        # Accepted while Redis is up, then lost with it: Redis keeps nothing on disk.
        big = _usage_csv(BIG_ROWS, "big")
        assert len(big) > imports.INLINE_LIMIT_BYTES
        status, body = web.request(
            "POST", "/api/import/usage/", body=big,
            headers={"Authorization": f"Token {token}", "Content-Type": "text/csv"},
        )  # fmt: skip
        assert status == 202, body
        upload = ImportJob.objects.get(pk=json.loads(body)["id"])
        assert upload.sent_at is not None
        assert redis.queued() == 1
        redis.stop()

        # --- Redis is down ------------------------------------------------------------
        for path in ("/ideas/", f"/ideas/{idea.pk}/"):
            status, body = web.request("GET", path, headers=browser)
            assert status == 200, log.read_text()[-3000:]
        status, _ = web.request(
            "POST", f"/ideas/{idea.pk}/vote/", body="action=vote",
            headers={**browser, "Content-Type": "application/x-www-form-urlencoded"},
        )  # fmt: skip
        assert status in (200, 302), log.read_text()[-3000:]
        assert Vote.objects.filter(idea=idea).exists()

        event = {"type": "track", "event": "report.viewed", "groupId": "ACME"}
        batch = {"batch": [{**event, "messageId": "down-1", "timestamp": "2026-06-14T11:00:00Z"}]}
        status, body = web.request(
            "POST", "/v1/batch", body=json.dumps(batch),
            headers={"Authorization": f"Basic {basic}", "Content-Type": "application/json"},
        )  # fmt: skip
        assert status == 200, body

        status, body = web.request(
            "POST", "/api/import/usage/", body=_usage_csv(3, "rest"),
            headers={"Authorization": f"Token {token}", "Content-Type": "text/csv"},
        )  # fmt: skip
        assert status == 201, body

        cli_file = tmp_path / "usage.csv"
        cli_file.write_text(_usage_csv(3, "cli"))
        cli = subprocess.run(
            [sys.executable, "-m", "tests.pinned_process", "manage", "ingest", "usage",
             str(cli_file)],
            cwd=ROOT, env=_env(redis.url, **env), capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert cli.returncode == 0, cli.stdout + cli.stderr

        status, body = web.request("GET", "/healthz")
        assert status == 503
        assert json.loads(body)["broker"] == "down"

        # The data and the work it needs are both recorded; nothing reached a worker.
        waiting = Job.objects.filter(status=Job.Status.QUEUED)
        assert {"health", "ttfv", "productrisk"} <= set(waiting.values_list("kind", flat=True))
        assert not waiting.filter(sent_at__isnull=False).exists()
        # One waiting job per cause (the vote, the tracking batch, each import): a job
        # keeps the one cause its alerts will name.
        health = waiting.filter(kind="health").values_list("account_ids", flat=True)
        assert any(acme.pk in ids for ids in health)

        # --- Redis is back ------------------------------------------------------------
        redis.start()
        assert redis.queued() == 0  # the upload's message went down with it
        worker = start_worker(redis.url, log, **env)
        try:
            # The debounced product-risk run is due in a minute, the re-sender waits
            # JOB_RESEND_SECONDS: let the beat's clock pass both. The worker's clock
            # stays behind, so the heartbeats it writes look that much older to the
            # beat here: only a stop longer than the shift is a stopped worker.
            clock.shift(timedelta(seconds=settings.JOB_RESEND_SECONDS + 61))
            settings.JOB_STALE_SECONDS += settings.JOB_RESEND_SECONDS + 61
            with broker_at(redis.url):

                def all_done() -> bool:
                    jobs.jobs_recover()  # what the beat runs every minute
                    imports.imports_recover()
                    return not (
                        Job.objects.filter(status__in=Job.ACTIVE_STATUSES).exists()
                        or ImportJob.objects.exclude(status__in=ImportJob.FINISHED).exists()
                    )

                assert wait_for(all_done, 60, 0.5), log.read_text()[-3000:]
        finally:
            stop(worker)

        upload.refresh_from_db()
        assert (upload.status, upload.rows_inserted) == ("succeeded", BIG_ROWS)
        assert set(Job.objects.values_list("status", flat=True)) == {"succeeded"}
        status, body = web.request("GET", "/healthz")
        assert status == 200, body
