"""Impact after shipping at scale on PostgreSQL (`make bench`).

100,000 accounts, each with a health snapshot a day for the 240 days around the ship
dates (24 million rows), and the daily health totals the recompute keeps of them; 20
resolved flags, each with 25 affected accounts, shipped on dates spread over the last
120 days. Generated in SQL once (generating is not what is measured).

Measured: the read of every account's health by day around the ship dates, from the
rollup, against the same figures counted from the snapshots as the page did before
(the reference); then the first load of the impact page by a PM (nothing cached),
against the issue's reference of 1 s.
"""

from __future__ import annotations

import os
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Account, User
from core.roles import Role
from healthscores.engine import default_scorecard_ensure
from healthscores.models import DailyHealthTotal
from healthscores.selectors import health_totals_between, scored_snapshots
from healthscores.totals import health_totals_refresh
from productrisk.models import ProductRisk, ProductRiskAccount
from tests.benchmarks.report import report
from tests.feedback.factories import IdeaFactory
from tests.roadmap.factories import RoadmapItemFactory

pytestmark = [
    pytest.mark.benchmark,
    pytest.mark.needs_postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(3600),
]

ACCOUNTS = int(os.environ.get("BENCH_IMPACT_ACCOUNTS", 100_000))
DAYS = int(os.environ.get("BENCH_IMPACT_DAYS", 240))
FLAGS = 20
AFFECTED_PER_FLAG = 25
REFERENCE_S = 1.0


def _generate() -> None:
    scorecard = default_scorecard_ensure().pk
    p = {"n": ACCOUNTS, "days": DAYS, "scorecard": scorecard}
    with connection.cursor() as cursor:
        # Consistent by construction: no per-row foreign-key checks while generating.
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            """
            INSERT INTO accounts_account (name, external_id, domain, plan, segment, arr,
                licensed_seats, lifecycle_stage, started_on, created_at, updated_at)
            SELECT 'Impact ' || g, 'I-' || g, 'i' || g || '.example.com', 'Growth', 'SMB',
                   1000 * (g %% 500), 50, 'adoption', current_date - 400, now(), now()
            FROM generate_series(1, %(n)s) g
            """,
            p,
        )
        cursor.execute(
            """
            INSERT INTO healthscores_healthsnapshot (account_id, day, score, band,
                components, missing_weight, override_band, override_reason, divergent,
                scorecard_id, scorecard_version, computed_at)
            SELECT a.id, current_date - d, s, CASE WHEN s < 40 THEN 'red'
                   WHEN s < 70 THEN 'yellow' ELSE 'green' END,
                   '{}', 0, '', '', false, %(scorecard)s, 1, now()
            FROM accounts_account a
            CROSS JOIN generate_series(0, %(days)s - 1) d
            CROSS JOIN LATERAL (SELECT 20 + ((a.id * 7 + d * 3) %% 70) AS s) score
            """,
            p,
        )
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("ANALYZE healthscores_healthsnapshot")
    today = timezone.now().date()
    health_totals_refresh(today - timedelta(days=d) for d in range(DAYS))
    account_ids = list(Account.objects.order_by("pk").values_list("pk", flat=True))
    now = timezone.now()
    for flag in range(FLAGS):
        idea = IdeaFactory(title=f"Impact idea {flag}", status="shipped")
        shipped_on = today - timedelta(days=10 + flag * 6)
        item = RoadmapItemFactory(column="shipped", shipped_on=shipped_on)
        item.ideas.add(idea)
        risk = ProductRisk.objects.create(
            idea=idea,
            status=ProductRisk.Status.RESOLVED,
            opened_at=now - timedelta(days=200),
            resolved_at=now - timedelta(days=10 + flag * 6),
            computed_at=now,
        )
        start = flag * AFFECTED_PER_FLAG * 3
        ProductRiskAccount.objects.bulk_create(
            ProductRiskAccount(risk=risk, account_id=pk, by_vote=True)
            for pk in account_ids[start : start + AFFECTED_PER_FLAG]
        )


def test_impact_page_first_load_at_100k_accounts():
    started = time.perf_counter()
    _generate()
    print(f"\n[bench] impact data generated in {time.perf_counter() - started:,.1f} s")
    assert DailyHealthTotal.objects.count() == DAYS
    today = timezone.now().date()
    ranges = [(today - timedelta(days=DAYS - 1), today)]
    started = time.perf_counter()
    rolled_up = health_totals_between(ranges)
    rollup_s = time.perf_counter() - started
    started = time.perf_counter()
    scanned = list(
        scored_snapshots()
        .filter(day__range=ranges[0])
        .values("day")
        .annotate(score_sum=Sum("score"), score_n=Count("score"))
        .order_by("day")
    )
    scan_s = time.perf_counter() - started
    assert [(r["day"], r["score_n"]) for r in rolled_up] == [
        (r["day"], r["score_n"]) for r in scanned
    ]
    rollup_ratio = report(
        f"every account's health by day, {DAYS} days, rollup vs snapshot scan",
        measured=rollup_s * 1000,
        reference=scan_s * 1000,
        unit="ms",
    )
    assert rollup_ratio < 0.1
    pm = User.objects.create_user("impact-pm", role=Role.PM)
    client = Client()
    client.force_login(pm)
    cache.clear()
    started = time.perf_counter()
    response = client.get(reverse("productrisk:impact"))
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert response.context["report"].has_data
    report(
        f"impact after shipping, first load ({ACCOUNTS:,} accounts, {FLAGS} flags)",
        measured=elapsed,
        reference=REFERENCE_S,
        unit="s",
    )
