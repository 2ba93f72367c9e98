"""Portfolio page and demo seeding at a realistic size (`make bench`)."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from accounts.models import User
from demo.services.accounts import seed_demo
from tests.benchmarks.report import p95, report

pytestmark = [pytest.mark.benchmark, pytest.mark.django_db]

ACCOUNTS = 5_000
PAGE_P95_REFERENCE_MS = 150.0  # the page budget set for Customer 360 and portfolio
SEED_REFERENCE_ACCOUNTS_PER_S = 1_000.0


def test_portfolio_p95_with_5000_accounts(client):
    started = time.perf_counter()
    seed_demo(accounts=ACCOUNTS, seed=1, activity=False)
    rate = ACCOUNTS / (time.perf_counter() - started)
    report("seed_demo", measured=rate, reference=SEED_REFERENCE_ACCOUNTS_PER_S, unit="accounts/s")

    client.force_login(User.objects.get(username="csm"))
    url = reverse("accounts:portfolio")
    samples = []
    for index in range(50):
        scope = "all" if index % 2 else "mine"
        started = time.perf_counter()
        response = client.get(url, {"scope": scope, "page": index % 7 + 1})
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    ratio = report(
        "portfolio p95", measured=p95(samples), reference=PAGE_P95_REFERENCE_MS, unit="ms"
    )
    assert ratio < 1
