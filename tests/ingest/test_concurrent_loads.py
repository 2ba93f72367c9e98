"""Concurrent loads on the same accounts, against PostgreSQL: every event lands once,
none is lost to a deadlock, and the rollups equal a recount from the raw events.

Four CLI imports (each its own process, as when files are loaded side by side) and four
clients of the tracking API (threads, each with its own connection) write events for the
same accounts, days and people at the same moment. Without one lock order their rollup
upserts and contact inserts lock the same rows in different orders and deadlock.
"""

from __future__ import annotations

import base64
import json
import os
import random
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Count, Sum
from django.test import Client
from django.urls import reverse

from accounts.models import Contact, DailyActivity, DailyUsage, UsageEvent
from tests.accounts.factories import AccountFactory
from tests.ingest.factories import WriteKeyFactory

pytestmark = [
    pytest.mark.needs_postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(300),
]

ROOT = Path(settings.BASE_DIR)
ACCOUNTS = 30
DAYS = 8
EVENTS = ("report.viewed", "export.created", "dashboard.shared", "alert.set")
PEOPLE = 12
CLI_LOADS = 4
CLI_ROWS = 3000
API_CLIENTS = 4
API_BATCHES = 6
BATCH = 250
USERS = 6
START = datetime(2026, 3, 1, tzinfo=UTC)


def _events(rng: random.Random, prefix: str, count: int) -> list[dict]:
    """``count`` events over every account, day, event and person, in random order."""
    return [
        {
            "account": f"ACC{rng.randrange(ACCOUNTS):02d}",
            "event": rng.choice(EVENTS),
            "at": (START + timedelta(days=rng.randrange(DAYS), minutes=n % 1440)).isoformat(),
            "email": f"person{rng.randrange(PEOPLE)}@shared.test",
            "quantity": rng.randrange(1, 5),
            "id": f"{prefix}-{n}",
        }
        for n in range(count)
    ]


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _cli_load(path: Path) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": _database_url(), "REDIS_URL": ""}
    return subprocess.Popen(
        [sys.executable, "manage.py", "ingest", "usage", str(path)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _write_csv(path: Path, events: list[dict]) -> Path:
    lines = ["account_external_id,event,occurred_at,contact_email,quantity,message_id"]
    lines += [
        f"{e['account']},{e['event']},{e['at']},{e['email']},{e['quantity']},{e['id']}"
        for e in events
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def _api_client(key: str, events: list[dict]) -> list[int]:
    """Send ``events`` in batches of BATCH; the status of each answer."""
    token = base64.b64encode(f"{key}:".encode()).decode()
    client = Client()
    statuses = []
    try:
        for start in range(0, len(events), BATCH):
            # People too: every client names the same users in the same accounts, so the
            # batches' contact writes meet as their usage does.
            people = [
                {
                    "type": kind,
                    "userId": f"user-{n}",
                    "groupId": f"ACC{(start // BATCH + n) % ACCOUNTS:02d}",
                    "traits": {"email": f"user{n}@people.test", "name": f"User {start} {n}"},
                }
                for n in range(USERS)
                for kind in ("identify", "group")
            ]
            batch = people + [
                {
                    "type": "track",
                    "event": e["event"],
                    "groupId": e["account"],
                    "userId": e["email"],
                    "messageId": e["id"],
                    "timestamp": e["at"],
                    "properties": {"quantity": e["quantity"]},
                }
                for e in events[start : start + BATCH]
            ]
            response = client.post(
                reverse("tracking:batch"),
                data=json.dumps({"batch": batch}),
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Basic {token}",
            )
            statuses.append(response.status_code)
    finally:
        connection.close()
    return statuses


def test_eight_concurrent_loads_on_the_same_accounts_land_every_event_once(tmp_path):
    for n in range(ACCOUNTS):
        AccountFactory(external_id=f"ACC{n:02d}")
    key = WriteKeyFactory().key
    rng = random.Random(20261204)
    files = [
        _write_csv(tmp_path / f"load{n}.csv", _events(rng, f"cli{n}", CLI_ROWS))
        for n in range(CLI_LOADS)
    ]
    api_events = [_events(rng, f"api{n}", API_BATCHES * BATCH) for n in range(API_CLIENTS)]
    sent = CLI_LOADS * CLI_ROWS + API_CLIENTS * API_BATCHES * BATCH

    loads = [_cli_load(path) for path in files]
    with ThreadPoolExecutor(API_CLIENTS) as pool:
        answers = list(pool.map(lambda events: _api_client(key, events), api_events))
    outputs = [load.communicate(timeout=240)[0] for load in loads]

    assert [load.returncode for load in loads] == [0] * CLI_LOADS, outputs
    assert answers == [[200] * API_BATCHES] * API_CLIENTS
    # One contact per user and account, however many batches linked it at once.
    linked = Contact.objects.exclude(tracking_user_id="")
    assert linked.count() == linked.values("account_id", "tracking_user_id").distinct().count()
    assert linked.values("tracking_user_id").distinct().count() == USERS
    assert UsageEvent.objects.count() == sent
    recount = {
        (row["account_id"], row["day"], row["event"]): (row["n"], row["q"], row["people"])
        for row in UsageEvent.objects.values("account_id", "event")
        .annotate(day=_utc_day(), n=Count("id"), q=Sum("quantity"))
        .annotate(people=Count("contact_id", distinct=True))
    }
    rollups = {
        (r.account_id, r.day, r.event): (r.event_count, r.quantity, r.active_contacts)
        for r in DailyUsage.objects.all()
    }
    assert rollups == recount
    activity = {
        (a.account_id, a.day): (a.event_count, a.active_contacts)
        for a in DailyActivity.objects.all()
    }
    daily = {
        (row["account_id"], row["day"]): (row["n"], row["people"])
        for row in UsageEvent.objects.values("account_id").annotate(
            day=_utc_day(), n=Count("id"), people=Count("contact_id", distinct=True)
        )
    }
    assert activity == daily


def _utc_day():
    from django.db.models.functions import TruncDate

    return TruncDate("occurred_at", tzinfo=UTC)
