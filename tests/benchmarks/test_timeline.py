"""An account's timeline at scale (`make bench`).

One account with 200,000 notes, 200,000 alert rows (each fact sent to two people), three
years of daily health snapshots and 2,000 imports, beside 100 other accounts with
2,000 notes and alerts each. The timeline page is requested 30 times on its first page
and on its 41st (following the cursor, as a reader paging back would): server time,
p95 against 150 ms, the budget of a page in this project. The query count must be the
same as for an account with a handful of entries.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from core.timeline import account_timeline
from healthscores.models import Band, HealthSnapshot
from ingest.models import ImportedAccount, ImportJob
from tests.accounts.factories import AccountFactory, NoteFactory, UserFactory
from tests.benchmarks.report import p95, report
from tests.healthscores.factories import default_scorecard

pytestmark = [
    pytest.mark.benchmark,
    pytest.mark.needs_postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(900),
]

NOTES = 200_000
ALERT_FACTS = 100_000
OTHER_ACCOUNTS = 100
PER_OTHER = 2_000
SNAPSHOT_DAYS = 3 * 365
IMPORTS = 2_000
P95_REFERENCE_MS = 150.0
REQUESTS = 30
DEEP_PAGE = 41


def _generate(account_id: int, csm_id: int, other_csm_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO accounts_account (name, external_id, domain, plan, segment, arr,
                licensed_seats, lifecycle_stage, created_at, updated_at)
            SELECT 'Other ' || g, 'T-' || g, '', '', '', 0, 0, 'adoption', now(), now()
            FROM generate_series(1, %s) g
            """,
            [OTHER_ACCOUNTS],
        )
        # Notes of the big account, one a minute going back, and of the others.
        cursor.execute(
            """
            INSERT INTO accounts_note (account_id, author_id, body, created_at)
            SELECT %s, %s, 'Call summary ' || g, now() - g * interval '1 minute'
            FROM generate_series(1, %s) g
            """,
            [account_id, csm_id, NOTES],
        )
        cursor.execute(
            """
            INSERT INTO accounts_note (account_id, author_id, body, created_at)
            SELECT a.id, %s, 'Other note', now() - g * interval '1 minute'
            FROM accounts_account a, generate_series(1, %s) g
            WHERE a.external_id LIKE 'T-%%'
            """,
            [csm_id, PER_OTHER],
        )
        # Each alert fact goes to two people, as band drops go to the CSM and an admin.
        cursor.execute(
            """
            INSERT INTO accounts_alert (kind, severity, recipient_id, account_id, title, body,
                url, dedupe_key, created_at, email_state, email_attempts, email_error)
            SELECT 'health.band_drop', 'warning', r.id, %s, 'Alert ' || g, '', '',
                   'fact:' || g, now() - g * interval '90 seconds', 'sent', 1, ''
            FROM generate_series(1, %s) g, (VALUES (%s), (%s)) r(id)
            """,
            [account_id, ALERT_FACTS, csm_id, other_csm_id],
        )
        cursor.execute(
            """
            INSERT INTO accounts_alert (kind, severity, recipient_id, account_id, title, body,
                url, dedupe_key, created_at, email_state, email_attempts, email_error)
            SELECT 'health.band_drop', 'warning', %s, a.id, 'Other alert', '', '',
                   'other:' || a.id || ':' || g, now() - g * interval '1 minute', 'sent', 1, ''
            FROM accounts_account a, generate_series(1, %s) g
            WHERE a.external_id LIKE 'T-%%'
            """,
            [csm_id, PER_OTHER],
        )
    today = timezone.now().date()
    scorecard = default_scorecard()
    bands = [Band.GREEN, Band.GREEN, Band.YELLOW, Band.RED]
    HealthSnapshot.objects.bulk_create(
        [
            HealthSnapshot(
                account_id=account_id,
                day=today - timedelta(days=day),
                score=50.0,
                band=bands[(day // 7) % len(bands)],
                scorecard=scorecard,
                scorecard_version=1,
                computed_at=timezone.now(),
            )
            for day in range(SNAPSHOT_DAYS)
        ],
        batch_size=2000,
    )
    jobs = ImportJob.objects.bulk_create(
        [ImportJob(kind="usage", source="csv", status="succeeded") for _ in range(IMPORTS)]
    )
    now = timezone.now()
    ImportedAccount.objects.bulk_create(
        [
            ImportedAccount(job=job, account_id=account_id, landed_at=now - timedelta(hours=i))
            for i, job in enumerate(jobs)
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # plans as a database that has lived with this data


def _p95_ms(client: Client, url: str) -> float:
    client.get(url)  # warm caches and the connection
    samples = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return p95(samples)


def test_timeline_pages_at_scale(django_assert_max_num_queries):
    csm = UserFactory(role=Role.CSM)
    other_csm = UserFactory(role=Role.CSM)
    small = AccountFactory(name="Small")
    NoteFactory(account=small, author=csm)
    big = AccountFactory(name="Big")
    _generate(big.pk, csm.pk, other_csm.pk)
    client = Client()
    client.force_login(csm)

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("accounts:timeline", args=[small.pk]))
    url = reverse("accounts:timeline", args=[big.pk])
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200

    cursor = ""
    for _ in range(DEEP_PAGE - 1):
        cursor = account_timeline(account=big, viewer=csm, cursor=cursor).next_cursor
    deep = f"{url}?after={cursor}"
    with django_assert_max_num_queries(len(few)):
        assert client.get(deep).status_code == 200

    ratios: dict[str, float] = {}
    for name, target in (("first page", url), (f"page {DEEP_PAGE}", deep)):
        ratios[name] = report(
            f"GET account timeline, {name}, {NOTES:,} notes / {2 * ALERT_FACTS:,} alert rows "
            f"/ {SNAPSHOT_DAYS:,} snapshots / {IMPORTS:,} imports, p95",
            measured=_p95_ms(client, target),
            reference=P95_REFERENCE_MS,
            unit="ms",
        )
    assert all(ratio < 1 for ratio in ratios.values()), ratios
