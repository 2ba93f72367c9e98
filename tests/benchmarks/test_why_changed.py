"""Why a score changed, for one account and any two days, on PostgreSQL (`make bench`).

Data: 1,000 accounts with a year of daily snapshots each (365,000 rows), every measure
of the default scorecard present and moving every day, and a scorecard edit half-way
through the year, so a comparison across it has the most players the page ever sees
(the seven measures and the scorecard: 256 coalitions).

Measured: the htmx request for a pair of days picked at random (half of them across the
edit), through Django's WSGI handler as gunicorn calls it, median of 30 requests against
the 100 ms the page may take; and the attribution alone, for the same pairs.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.models import Account, User
from core.roles import Role
from healthscores.models import HealthSnapshot, Scorecard, ScorecardVersion
from healthscores.selectors.why import snapshot_configs, why_changed
from healthscores.services import today_utc
from tests.benchmarks.pages import query_count, timed_ms
from tests.benchmarks.report import report

pytestmark = [pytest.mark.benchmark, pytest.mark.needs_postgres, pytest.mark.timeout(900)]

ACCOUNTS = 1_000
DAYS = 365
REQUESTS = 30
LIMIT_MS = 100.0


def _generate() -> None:
    """Accounts, then a year of their snapshots in one INSERT … SELECT (the data is made
    by the database, so nothing crosses the wire row by row)."""
    scorecard = Scorecard.objects.get(segment="")
    version = ScorecardVersion.objects.get(scorecard=scorecard, version=scorecard.version)
    edited = {
        **version.config,
        "measures": [
            {**m, "weight": m["weight"] * (2 if m["kind"] == "nps" else 1)}
            for m in version.config["measures"]
        ],
    }
    ScorecardVersion.objects.create(
        scorecard=scorecard, version=scorecard.version + 1, config=edited
    )
    Scorecard.objects.filter(pk=scorecard.pk).update(version=scorecard.version + 1)
    measures = [m["kind"] for m in version.config["measures"]]
    parts = ", ".join(
        f"""'{kind}', jsonb_build_object('raw', round(random()::numeric, 4), 'score',
            round((random() * 100)::numeric, 1), 'weight', 0.1, 'contribution', 5,
            'missing', false)"""
        for kind in measures
    )
    Account.objects.bulk_create(
        Account(name=f"Account {n}", external_id=f"why-{n}", licensed_seats=10)
        for n in range(ACCOUNTS)
    )
    today = today_utc()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO healthscores_healthsnapshot (account_id, day, score, band,
                components, missing_weight, override_band, override_reason, divergent,
                scorecard_id, scorecard_version, computed_at)
            SELECT a.id, d::date, round((random() * 100)::numeric, 1), 'yellow',
                jsonb_build_object({parts}), 0, '', '', false, %s,
                CASE WHEN d::date < %s THEN %s ELSE %s END, now()
            FROM accounts_account a,
                 generate_series(%s::date, %s::date, interval '1 day') AS d
            """,
            [
                scorecard.pk,
                today - timedelta(days=DAYS // 2),
                scorecard.version,
                scorecard.version + 1,
                today - timedelta(days=DAYS - 1),
                today,
            ],
        )
        cursor.execute("VACUUM (ANALYZE) healthscores_healthsnapshot")


@pytest.fixture(scope="module")
def staff(django_db_setup, django_db_blocker) -> Iterator[User]:
    with django_db_blocker.unblock():
        started = time.perf_counter()
        _generate()
        print(
            f"\n[bench] setup: {HealthSnapshot.objects.count():,} snapshots "
            f"in {time.perf_counter() - started:.0f} s"
        )
        yield User.objects.create_user("why-csm", role=Role.CSM)


def _pairs(rng: random.Random) -> list[tuple]:
    today = today_utc()
    pairs = []
    for _ in range(REQUESTS):
        later = rng.randrange(0, DAYS // 2)
        earlier = rng.randrange(later + 1, DAYS)
        pairs.append((today - timedelta(days=earlier), today - timedelta(days=later)))
    return pairs


@pytest.mark.django_db
def test_why_it_changed_for_any_two_days_within_100_ms(staff):
    rng = random.Random(13)
    account = Account.objects.order_by("pk")[ACCOUNTS // 2]
    client = Client()
    client.force_login(staff)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    handler, factory = WSGIHandler(), RequestFactory()
    url = reverse("healthscores:why_changed", args=[account.pk])
    pairs = _pairs(rng)

    def request(then, now):
        def run() -> object:
            query = {"why-then": then.isoformat(), "why-now": now.isoformat()}
            response = handler.get_response(
                factory.get(url, query, HTTP_COOKIE=cookie, HTTP_HX_REQUEST="true")
            )
            assert response.status_code == 200
            assert b"health-why-total" in response.content
            return response

        return run

    request(*pairs[0])()  # warm: templates compiled, connection open
    samples = [timed_ms(request(then, now), 1)[0] for then, now in pairs]
    queries = query_count(request(*pairs[0]))
    median = statistics.median(samples)
    report(
        "why it changed, one account, two days (median)",
        measured=median,
        reference=LIMIT_MS,
        unit="ms",
    )
    print(f"[bench] queries per request: {queries}; slowest {max(samples):.1f} ms")

    snapshots = {
        s.day: s for s in HealthSnapshot.objects.filter(account=account).select_related("scorecard")
    }
    configs = snapshot_configs(snapshots.values())
    started = time.perf_counter()
    for then, now in pairs:
        why = why_changed(then_day=then, now_day=now, snapshots=snapshots, configs=configs)
        assert round(sum(row.change for row in why.rows), 1) == pytest.approx(why.change)
    attribution_ms = (time.perf_counter() - started) * 1000 / len(pairs)
    report(
        "  of which the attribution (mean)", measured=attribution_ms, reference=LIMIT_MS, unit="ms"
    )
    assert median < LIMIT_MS
