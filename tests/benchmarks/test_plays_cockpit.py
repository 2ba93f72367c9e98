"""The cockpit of a CSM with 500 accounts and 5,000 open tasks (`make bench`).

Issue 17: under 150 ms at p95, in a constant number of queries. The book: 500 accounts
with current health (a seventh red, a fifth yellow) and a snapshot eight days back (so
some changed band), 5,000 open tasks spread from two weeks late to a month ahead, 100
plays started in the last week, renewals through the year.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Account
from core.jobs import today_utc
from core.roles import Role
from healthscores.models import AccountHealth, HealthSnapshot
from plays.models import Play, Task
from tests.accounts.factories import UserFactory
from tests.benchmarks.report import p95, report
from tests.healthscores.factories import default_scorecard
from tests.plays.factories import PlaybookFactory

pytestmark = [pytest.mark.benchmark, pytest.mark.django_db]

ACCOUNTS, TASKS, PLAYS = 500, 5_000, 100
P95_REFERENCE_MS = 150.0
#: The page (session, user, header counts) and the cockpit's own nine reads and one write.
MAX_QUERIES = 20
SAMPLES = 50


def _band(n: int) -> str:
    return "red" if n % 7 == 0 else "yellow" if n % 5 == 0 else "green"


def _book(csm) -> None:
    today, day = timezone.localdate(), today_utc()
    now = timezone.now()
    accounts = Account.objects.bulk_create(
        Account(
            name=f"Book {n:03d}",
            external_id=f"BOOK-{n}",
            segment="Enterprise" if n % 3 == 0 else "Mid-market",
            csm_owner=csm,
            started_on=today - timedelta(days=400),
            renews_on=today + timedelta(days=n % 365),
        )
        for n in range(ACCOUNTS)
    )
    AccountHealth.objects.bulk_create(
        AccountHealth(
            account=a, day=day, score=50, band=_band(n), effective_band=_band(n), computed_at=now
        )
        for n, a in enumerate(accounts)
    )
    scorecard = default_scorecard()
    HealthSnapshot.objects.bulk_create(
        HealthSnapshot(
            account=a,
            day=day - timedelta(days=8),
            score=60,
            band=_band(n + 1),
            scorecard=scorecard,
            scorecard_version=1,
            computed_at=now,
        )
        for n, a in enumerate(accounts)
    )
    Task.objects.bulk_create(
        Task(
            account=accounts[n % ACCOUNTS],
            owner=csm,
            title=f"Follow up {n}",
            due_on=today + timedelta(days=n % 45 - 14),
        )
        for n in range(TASKS)
    )
    playbook = PlaybookFactory()
    Play.objects.bulk_create(
        Play(
            playbook=playbook,
            account=accounts[n * 5],
            started_at=now - timedelta(hours=n),
            cause="Health dropped to red",
        )
        for n in range(PLAYS)
    )


def test_cockpit_p95_with_500_accounts_and_5000_tasks(client, django_assert_max_num_queries):
    csm = UserFactory(username="bench-csm", role=Role.CSM)
    _book(csm)
    client.force_login(csm)
    url = reverse("plays:today")
    client.get(url)  # warm: templates, the session, the first visit recorded
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    samples = []
    for _ in range(SAMPLES):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    measured = p95(samples)
    report(
        "cockpit p95, 500 accounts, 5,000 open tasks",
        measured=measured,
        reference=P95_REFERENCE_MS,
        unit="ms",
    )
    assert measured < P95_REFERENCE_MS
