"""The guidance report (did nudges help?) at 100,000 onboardings (`make bench`).

The report finds each account's first nudge among the raw usage events, the biggest
table of a deployment. Generated here: the 100,000 onboardings of the TTFV benchmark
(three milestones, starts over two years), 10 million ordinary usage events spread over
the last 90 days, and "Widget Nudge Shown" events for one account in four (one to three
each, on the two usage milestones). Measured: the page as a CS leader opens it, server
time p50/p95 over 10 requests, against the 1 s of the other report pages; then the same
with the partial index on nudge events dropped, to show what it buys.
"""

from __future__ import annotations

import statistics
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.roles import Role
from tests.benchmarks.report import p95, report
from tests.benchmarks.test_ttfv import _generate, _template
from ttfv import services
from ttfv.selectors.guidance import NUDGE_SHOWN

pytestmark = [
    pytest.mark.benchmark,
    pytest.mark.needs_postgres,
    pytest.mark.django_db,
    pytest.mark.timeout(3600),
]

EVENTS = 10_000_000
REPORT_REFERENCE_MS = 1000.0
REQUESTS = 10
NUDGE_INDEX = "usage_nudge_shown_idx"


def _events() -> None:
    """Ordinary events in time order (as ingests write them), then the nudges, up to
    the tests' pinned instant (the report's 90 days end on its day, not the server's)."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO accounts_usageevent (account_id, event, occurred_at, quantity,
                properties, source, source_id, received_at)
            SELECT n.first + (g::bigint * 7919) %% n.accounts,
                   'feature.' || (g %% 40), t, 1, '{}'::jsonb, 'api', 'e' || g, t
            FROM (SELECT min(id) AS first, count(*) AS accounts FROM accounts_account) n,
                 generate_series(1, %(events)s) g,
                 LATERAL (SELECT %(now)s::timestamptz
                                 - interval '90 days' * (1 - g::float8 / %(events)s) AS t) w
            """,
            {"events": EVENTS, "now": now},
        )
        cursor.execute(
            """
            INSERT INTO accounts_usageevent (account_id, event, occurred_at, quantity,
                properties, source, source_id, received_at)
            SELECT a.id, %(nudge)s,
                   %(now)s::timestamptz - make_interval(days => ((a.id * 13 + k * 5) %% 85)::int),
                   1, jsonb_build_object('milestone', m.id), 'api',
                   'nudge-' || a.id || '-' || m.id || '-' || k, %(now)s
            FROM accounts_account a
            JOIN ttfv_milestone m ON m.rule = 'usage'
            CROSS JOIN LATERAL generate_series(0, a.id %% 3) k
            WHERE a.id %% 4 = 0
            """,
            {"nudge": NUDGE_SHOWN, "now": now},
        )
        cursor.execute("VACUUM ANALYZE accounts_usageevent")


@pytest.fixture(scope="module")
def staff(django_db_setup, django_db_blocker) -> User:
    with django_db_blocker.unblock():
        csms = [User.objects.create_user(f"guide-csm{i}", role=Role.CSM) for i in range(4)]
        _template()
        started = time.perf_counter()
        _generate([csm.pk for csm in csms])
        services.onboarding_recompute(alerts=False)
        _events()
        print(f"\n[bench] setup: {time.perf_counter() - started:.0f} s")
        return csms[0]


def _page_ms(user: User) -> list[float]:
    client = Client()
    client.force_login(user)
    url = reverse("ttfv:guidance")
    response = client.get(url)  # warm connections and template caches
    assert response.status_code == 200
    assert b"<table" in response.content  # nudged accounts were found and counted
    samples = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def test_guidance_report_at_100k_onboardings_and_10m_events(staff):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM accounts_usageevent WHERE event = %s", [NUDGE_SHOWN])
        (nudges,) = cursor.fetchone()
    print(f"[bench] {EVENTS:,} ordinary events, {nudges:,} nudges shown")
    samples = _page_ms(staff)
    print(f"[bench] guidance report p50 {statistics.median(samples):,.0f} ms")
    ratio = report(
        "Guidance report page p95 (100k onboardings, 10M events)",
        measured=p95(samples), reference=REPORT_REFERENCE_MS, unit="ms",
    )  # fmt: skip

    # Dropped inside the test's transaction, so the rollback puts it back.
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {NUDGE_INDEX}")
    without = _page_ms(staff)
    print(
        f"[bench] without {NUDGE_INDEX}: p50 {statistics.median(without):,.0f} ms, "
        f"p95 {p95(without):,.0f} ms"
    )
    assert ratio < 1
