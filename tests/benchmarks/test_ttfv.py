"""Time to first value at 100,000 accounts on PostgreSQL (`make bench`).

The data is generated in SQL (the setup is not what is measured): 100,000 accounts that
started over the last 24 months, the default template with one manual and two usage
milestones (the first value needs N events by K people), their rollups and who did the
counted event. Then (a) a full onboarding recompute, first run (inserts) and nightly
rerun (updates), against 60 s each; (b) the cohort report page as staff, server time
p50/p95 over 10 requests, against 1 s.
"""

from __future__ import annotations

import statistics
import time

import pytest
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.urls import reverse

from accounts.models import Account, DailyEventContact, DailyUsage, User
from core.roles import Role
from tests.benchmarks.report import p95, report
from ttfv import services
from ttfv.engine import default_template_ensure
from ttfv.models import Onboarding

pytestmark = [
    pytest.mark.benchmark,
    pytest.mark.needs_postgres,
    pytest.mark.django_db,
    pytest.mark.timeout(1800),
]

ACCOUNTS = 100_000
#: Usage days per account and rule event; a tenth of the accounts never share a report.
DAYS_PER_EVENT = 8
RECOMPUTE_REFERENCE_S = 60.0
REPORT_REFERENCE_MS = 1000.0
REQUESTS = 10


def _template() -> None:
    template = default_template_ensure()
    template.milestones.all().delete()
    template.milestones.create(name="Kickoff", position=0, target_offset_days=7, rule="manual")
    template.milestones.create(
        name="Data connected", position=1, target_offset_days=14, rule="usage",
        event="integration.synced", min_events=1,
    )  # fmt: skip
    template.milestones.create(
        name="First report shared", position=2, target_offset_days=45, rule="usage",
        event="report.shared", min_events=3, min_contacts=2, is_first_value=True,
    )  # fmt: skip


def _generate(csm_ids: list[int]) -> None:
    """Starts spread over 730 days; each account uses the product every ``pace`` days
    (1-9, so some are fast and some late), from 3 days before its start (rows the rules
    must ignore) on; report rows are done by the account's 3 people in turn."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO accounts_account (name, external_id, domain, plan, segment, arr,
                licensed_seats, lifecycle_stage, csm_owner_id, started_on, renews_on,
                created_at, updated_at)
            SELECT 'TTFV ' || g, 'T-' || g, 't' || g || '.example.com',
                   (ARRAY['Starter','Growth','Enterprise'])[1 + g %% 3],
                   (ARRAY['SMB','Mid-market','Enterprise'])[1 + (g / 3) %% 3],
                   1000 * (g %% 500), 10 + g %% 200, 'onboarding',
                   (%s::bigint[])[1 + g %% %s], current_date - (g * 7919) %% 730,
                   current_date + 365, now(), now()
            FROM generate_series(1, %s) g
            """,
            [csm_ids, len(csm_ids), ACCOUNTS],
        )
        cursor.execute(
            """
            INSERT INTO accounts_contact (account_id, name, email, title, is_champion, created_at)
            SELECT a.id, 'Person ' || c, 'p' || c || '@' || a.domain, '', c = 0, now()
            FROM accounts_account a CROSS JOIN generate_series(0, 2) c
            """
        )
        cursor.execute(
            """
            INSERT INTO accounts_dailyusage (account_id, day, event, event_count, quantity,
                active_contacts)
            SELECT a.id, d.day, e.event, 1 + (a.id + k) %% 2, 1, 1
            FROM accounts_account a
            CROSS JOIN (VALUES ('integration.synced', 0), ('report.shared', 5)) e(event, lag)
            CROSS JOIN generate_series(0, %s - 1) k
            CROSS JOIN LATERAL (
                SELECT a.started_on + (e.lag - 3 + k * (1 + a.id %% 9) * (1 + e.lag / 5)
                       * (CASE WHEN a.id %% 7 = 0 THEN 4 ELSE 1 END))::int AS day
            ) d
            WHERE d.day <= current_date
              AND NOT (e.event = 'report.shared' AND a.id %% 10 = 0)
            """,
            [DAYS_PER_EVENT],
        )
        cursor.execute(
            """
            WITH people AS (
                SELECT id, account_id,
                       row_number() OVER (PARTITION BY account_id ORDER BY id) - 1 AS n
                FROM accounts_contact
            ), days AS (
                SELECT account_id, day, event,
                       row_number() OVER (PARTITION BY account_id ORDER BY day) AS k
                FROM accounts_dailyusage WHERE event = 'report.shared'
            )
            INSERT INTO accounts_dailyeventcontact (account_id, day, event, contact_id)
            SELECT d.account_id, d.day, d.event, p.id
            FROM days d JOIN people p ON p.account_id = d.account_id AND p.n = d.k % 3
            """
        )
        cursor.execute("ANALYZE")


def _timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def test_ttfv_recompute_and_cohort_report_at_100k_accounts():
    csms = [User.objects.create_user(f"ttfv-csm{i}", role=Role.CSM) for i in range(4)]
    _template()
    setup = _timed(lambda: _generate([csm.pk for csm in csms]))
    print(
        f"\n[bench] setup: {Account.objects.count():,} accounts, "
        f"{DailyUsage.objects.count():,} daily rollups, "
        f"{DailyEventContact.objects.count():,} daily event contacts in {setup:.0f} s"
    )

    # (a) The first run inserts every onboarding and progress row; the rerun is the
    # nightly recompute, where most rows already hold the right values.
    first = _timed(lambda: services.onboarding_recompute(alerts=False))
    first_ratio = report(
        "TTFV recompute 100k accounts (first run)",
        measured=first, reference=RECOMPUTE_REFERENCE_S, unit="s",
    )  # fmt: skip
    again = _timed(lambda: services.onboarding_recompute())
    again_ratio = report(
        "TTFV recompute 100k accounts (rerun)",
        measured=again, reference=RECOMPUTE_REFERENCE_S, unit="s",
    )  # fmt: skip
    statuses = dict(Onboarding.objects.values_list("status").annotate(n=Count("pk")).order_by())
    print(f"[bench] onboarding statuses: {statuses}")
    assert sum(statuses.values()) == ACCOUNTS
    assert statuses.get("achieved", 0)
    assert statuses.get("achieved_late", 0)

    # (b) The whole page, as a CS leader opens it: one selector query, cohort math,
    # figures and the template.
    client = Client()
    client.force_login(csms[0])
    url = reverse("ttfv:reports")
    assert client.get(url).status_code == 200  # warm connections and template caches
    samples = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    print(f"[bench] cohort report p50 {statistics.median(samples):,.0f} ms")
    report_ratio = report(
        "TTFV cohort report page p95 (100k onboardings)",
        measured=p95(samples), reference=REPORT_REFERENCE_MS, unit="ms",
    )  # fmt: skip
    assert first_ratio < 1
    assert again_ratio < 1
    assert report_ratio < 1
