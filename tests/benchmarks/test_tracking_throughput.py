"""The tracking API's throughput against the command line's, in the same run (`make bench`).

The goal: ``/v1/batch`` sustains at least half the rows/s of ``manage.py ingest usage``
on the same machine, with 4 concurrent clients sending 500-event batches, a p95 under
500 ms per batch and no 5xx. The server is a real gunicorn with the production
configuration and as many workers as clients, on a Redis of the benchmark's own (so the
recomputes each batch asks for go to a broker, as in production, and are not run inline).
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings
from django.db import connection

from accounts.models import Account, UsageEvent
from ingest.models import WriteKey
from tests.benchmarks.report import p95, report
from tests.processes import database_url, gunicorn, redis_server

pytestmark = [
    pytest.mark.benchmark,
    pytest.mark.needs_postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(1800),
]

ROOT = Path(settings.BASE_DIR)
EVENTS = int(os.environ.get("BENCH_TRACKING_EVENTS", 100_000))
CLIENTS = 4
ROUNDS = 2
BATCH = 500
ACCOUNTS = 1_000
PEOPLE = 30
RATIO_TARGET = 0.5  # the API's events/s at least half the command line's rows/s
P95_LIMIT_MS = 500
START = datetime(2026, 5, 1, tzinfo=UTC)


def _events(prefix: str, count: int, seed: int) -> list[dict]:
    """Usage over 1,000 accounts, 20 events and 30 people each, over 30 days."""
    rng = np.random.default_rng(seed)
    accounts = rng.integers(1, ACCOUNTS + 1, count)
    people = rng.integers(0, PEOPLE, count)
    features = rng.integers(0, 20, count)
    seconds = rng.integers(0, 30 * 86400, count)
    return [
        {
            "account": f"T-{a:05d}",
            "event": f"feature.{f}",
            "at": (START + timedelta(seconds=int(s))).isoformat(),
            "email": f"user{p}@t-{a:05d}.example.com",
            "id": f"{prefix}-{n}",
        }
        for n, (a, p, f, s) in enumerate(zip(accounts, people, features, seconds, strict=True))
    ]


def _write_csv(path: Path, events: list[dict]) -> None:
    lines = ["account_external_id,event,occurred_at,contact_email,quantity,message_id"]
    lines += [f"{e['account']},{e['event']},{e['at']},{e['email']},1,{e['id']}" for e in events]
    path.write_text("\n".join(lines) + "\n")


def _cli_seconds(path: Path, redis_url: str) -> float:
    """The command line's time, sending its recomputes to the broker as in production
    (with no broker they would run inline, in its time)."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "manage.py", "ingest", "usage", str(path)],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url(), "REDIS_URL": redis_url},
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    assert done.returncode == 0, done.stdout + done.stderr
    return elapsed


def _batches(events: list[dict]) -> list[bytes]:
    """Segment batches as a library sends them: track calls with their context."""
    bodies = []
    for start in range(0, len(events), BATCH):
        sent_at = datetime.now(UTC).isoformat()
        messages = [
            {
                "type": "track",
                "event": e["event"],
                "userId": e["email"],
                "messageId": e["id"],
                "timestamp": e["at"],
                "properties": {"quantity": 1, "plan": "pro", "report": e["id"][-2:]},
                "context": {
                    "groupId": e["account"],
                    "library": {"name": "analytics-python", "version": "2.4.0"},
                },
            }
            for e in events[start : start + BATCH]
        ]
        bodies.append(json.dumps({"batch": messages, "sentAt": sent_at}).encode())
    return bodies


def _client(port: int, key: str, bodies: list[bytes]) -> list[tuple[int, float]]:
    """Send ``bodies`` one after the other on one keep-alive connection, as a library's
    consumer thread does; the status and seconds of each."""
    auth = "Basic " + base64.b64encode(f"{key}:".encode()).decode()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    answers = []
    try:
        for body in bodies:
            started = time.perf_counter()
            conn.request(
                "POST",
                "/v1/batch",
                body=body,
                headers={"Authorization": auth, "Content-Type": "application/json"},
            )
            response = conn.getresponse()
            response.read()
            answers.append((response.status, time.perf_counter() - started))
    finally:
        conn.close()
    return answers


def _api_seconds(port: int, key: str, bodies: list[bytes]) -> tuple[float, list]:
    """Four clients share ``bodies``; the seconds until the last answer, and each
    answer's status and seconds."""
    shares = [bodies[n::CLIENTS] for n in range(CLIENTS)]
    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        answers = [a for share in pool.map(lambda s: _client(port, key, s), shares) for a in share]
    return time.perf_counter() - started, answers


def test_tracking_api_sustains_half_the_command_lines_rate(tmp_path):
    """The two loads take turns, ROUNDS times each, and each rate is its rows over its
    total time: on a machine others share, a busy minute then weighs on both."""
    Account.objects.bulk_create(
        [Account(external_id=f"T-{i:05d}", name=f"Tracked {i}") for i in range(1, ACCOUNTS + 1)]
    )
    key = WriteKey.objects.create(name="benchmark").key
    cli_seconds = api_seconds = 0.0
    answers: list[tuple[int, float]] = []
    with (
        redis_server() as redis,
        gunicorn(redis.url, tmp_path / "gunicorn.log", workers=CLIENTS, threads=1) as web,
    ):
        for round_ in range(ROUNDS):
            path = tmp_path / f"usage{round_}.csv"
            _write_csv(path, _events(f"cli{round_}", EVENTS, seed=2 * round_))
            cli_seconds += _cli_seconds(path, redis.url)
            # The statistics autovacuum would have gathered on a live installation: the
            # planner then probes the contacts and rollups by index, not by a scan.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            if round_ == 0:
                _client(web.port, key, _batches(_events("warm", CLIENTS * BATCH, seed=99)))
            bodies = _batches(_events(f"api{round_}", EVENTS, seed=2 * round_ + 1))
            seconds, round_answers = _api_seconds(web.port, key, bodies)
            api_seconds += seconds
            answers += round_answers

    statuses = [status for status, _seconds in answers]
    rows = ROUNDS * EVENTS
    batch_p95_ms = p95([seconds for _status, seconds in answers]) * 1000
    ratio = report(
        "tracking API events/s vs CLI rows/s",
        measured=rows / api_seconds,
        reference=rows / cli_seconds,
        unit="rows/s",
    )
    report(
        "tracking API p95 per 500-event batch",
        measured=batch_p95_ms,
        reference=P95_LIMIT_MS,
        unit="ms",
    )
    report("tracking API ratio vs goal", measured=ratio, reference=RATIO_TARGET, unit="x")
    assert statuses == [200] * (rows // BATCH)
    assert UsageEvent.objects.count() == 2 * rows + CLIENTS * BATCH
    assert batch_p95_ms < P95_LIMIT_MS
    assert ratio >= RATIO_TARGET
