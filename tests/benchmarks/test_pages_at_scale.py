"""Customer 360 and portfolio at 10,000 accounts and 10,000,000 events (`make bench`).

The data is generated in SQL (the setup is not what is measured), then each page is
requested 50 times through Django's test client: server time, p95 against 150 ms.
"""

from __future__ import annotations

import os
import random
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import Account, DailyUsage, UsageEvent, User
from core.roles import Role
from tests.benchmarks.report import p95, report

pytestmark = [
    pytest.mark.benchmark,
    pytest.mark.needs_postgres,
    pytest.mark.django_db,
    pytest.mark.timeout(1800),  # generating 10M events takes minutes
]

ACCOUNTS = 10_000
EVENTS = int(os.environ.get("BENCH_PAGE_EVENTS", 10_000_000))
CONTACTS_PER_ACCOUNT = 5
P95_REFERENCE_MS = 150.0
REQUESTS = 50


def _generate(csm_ids: list[int]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO accounts_account (name, external_id, domain, plan, segment, arr,
                licensed_seats, lifecycle_stage, csm_owner_id, started_on, renews_on,
                created_at, updated_at)
            SELECT 'Scale ' || g, 'S-' || g, 's' || g || '.example.com',
                   (ARRAY['Starter','Growth','Enterprise'])[1 + g %% 3],
                   (ARRAY['SMB','Mid-market','Enterprise'])[1 + g %% 3],
                   1000 * (g %% 500), 10 + g %% 200, 'adoption',
                   (%s::bigint[])[1 + g %% %s], current_date - 200, current_date + (g %% 365),
                   now(), now()
            FROM generate_series(1, %s) g
            """,
            [csm_ids, len(csm_ids), ACCOUNTS],
        )
        cursor.execute(
            """
            INSERT INTO accounts_contact (account_id, name, email, title, is_champion, created_at)
            SELECT a.id, 'Person ' || c, 'p' || c || '@' || a.domain, '', c = 0, now()
            FROM accounts_account a CROSS JOIN generate_series(0, %s - 1) c
            """,
            [CONTACTS_PER_ACCOUNT],
        )
        cursor.execute(
            """
            WITH bounds AS (SELECT min(id) AS a0 FROM accounts_account),
                 people AS (SELECT min(id) AS c0 FROM accounts_contact)
            INSERT INTO accounts_usageevent (account_id, contact_id, event, occurred_at,
                quantity, properties, source, source_id, received_at)
            SELECT a0 + g %% %s,
                   c0 + (g %% %s) * %s + (g / %s) %% %s,
                   'feature.' || (g %% 13),
                   now() - ((g::bigint * 7919) %% (90 * 86400)) * interval '1 second',
                   1, '{}'::jsonb, 'csv', 'scale-' || g, now()
            FROM generate_series(1, %s) g, bounds, people
            """,
            [ACCOUNTS, ACCOUNTS, CONTACTS_PER_ACCOUNT, ACCOUNTS, CONTACTS_PER_ACCOUNT, EVENTS],
        )
        cursor.execute(
            """
            INSERT INTO accounts_dailyusage (account_id, day, event, event_count, quantity,
                active_contacts)
            SELECT account_id, (occurred_at AT TIME ZONE 'UTC')::date, event, count(*),
                   sum(quantity), count(DISTINCT contact_id)
            FROM accounts_usageevent GROUP BY 1, 2, 3
            """
        )
        cursor.execute(
            """
            INSERT INTO accounts_dailyactivity (account_id, day, event_count, active_contacts)
            SELECT account_id, (occurred_at AT TIME ZONE 'UTC')::date, count(*),
                   count(DISTINCT contact_id)
            FROM accounts_usageevent GROUP BY 1, 2
            """
        )
        cursor.execute("ANALYZE")


def _p95_ms(client: Client, urls: list[str]) -> float:
    samples = []
    for url in urls:
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    return p95(samples)


def test_customer_360_and_portfolio_p95_at_scale():
    csms = [User.objects.create_user(f"scale-csm{i}", role=Role.CSM) for i in range(4)]
    started = time.perf_counter()
    _generate([csm.pk for csm in csms])
    print(
        f"\n[bench] setup: {Account.objects.count():,} accounts, {EVENTS:,} events, "
        f"{DailyUsage.objects.count():,} daily rollups in {time.perf_counter() - started:.0f} s"
    )
    assert UsageEvent.objects.count() == EVENTS

    client = Client()
    client.force_login(csms[0])
    rng = random.Random(1)
    ids = list(Account.objects.values_list("pk", flat=True))
    detail_urls = [reverse("accounts:detail", args=[rng.choice(ids)]) for _ in range(REQUESTS)]
    portfolio = reverse("accounts:portfolio")
    portfolio_urls = [
        f"{portfolio}?scope={('mine', 'all')[i % 2]}&sort={('name', 'arr', 'renews_on')[i % 3]}"
        f"&page={1 + i % 40}"
        for i in range(REQUESTS)
    ]
    _p95_ms(client, detail_urls[:3] + portfolio_urls[:3])  # warm caches and connections

    detail = report(
        "Customer 360 p95",
        measured=_p95_ms(client, detail_urls),
        reference=P95_REFERENCE_MS,
        unit="ms",
    )
    listing = report(
        "portfolio p95",
        measured=_p95_ms(client, portfolio_urls),
        reference=P95_REFERENCE_MS,
        unit="ms",
    )
    assert detail < 1
    assert listing < 1
