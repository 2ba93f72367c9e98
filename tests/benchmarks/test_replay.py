"""The scorecard editor's preview of a draft, as the job it is: today's band moves of
every account of the scorecard and the replay of a year of renewals.

The goal is 100,000 accounts with a year of daily snapshots (36.5M rows) and 20,000
outcomes: under 120 s, peak RSS under 1 GB. Generating that takes far longer than the
measurement on a shared two-core machine, so by default the benchmark runs at 10,000
accounts (3.65M snapshots) with the same 20,000 outcomes; ``BENCH_REPLAY_ACCOUNTS=100000``
runs the full scale. The job's work follows the accounts (today's facts, read by the
health engine's SQL aggregates per chunk) and the outcomes (one index probe each), never
the whole history.

The job runs in a fresh process (``tests/benchmarks/replay_run.py``), its chunks one
after the other as a single worker would take them, under ``/usr/bin/time -f %M``: a
child of this big pytest process would report our RSS, not its own. Printed: the wall
time against the goal, and the peak RSS against 1 GB.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from healthscores import services
from healthscores.models import Scorecard
from tests.benchmarks.report import report
from tests.benchmarks.test_health_recompute import generate

pytestmark = [
    pytest.mark.benchmark,
    pytest.mark.needs_postgres,
    pytest.mark.django_db,
    pytest.mark.timeout(3600),
]

ROOT = Path(__file__).resolve().parents[2]
ACCOUNTS = int(os.environ.get("BENCH_REPLAY_ACCOUNTS", 10_000))
DAYS = 365
OUTCOMES = 20_000
WALL_GOAL_S = 120.0
RSS_GOAL_MB = 1024.0


def _history(day) -> None:
    """A year of snapshots per account, scored by its segment's scorecard, with the raw
    value and score of six measures in ``components`` as the engine stores them; and
    20,000 outcomes, churned more often where the score was low."""
    default = Scorecard.objects.get(segment="").pk
    enterprise = Scorecard.objects.get(segment="Enterprise").pk
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO healthscores_healthsnapshot (account_id, day, score, band, components,
                missing_weight, override_band, override_reason, divergent, scorecard_id,
                scorecard_version, computed_at)
            SELECT a.id, %(day)s::date - d, sc,
                   CASE WHEN sc < 40 THEN 'red' WHEN sc < 70 THEN 'yellow' ELSE 'green' END,
                   jsonb_build_object(
                     'active_users', jsonb_build_object('raw', sc / 100, 'score', sc),
                     'usage_trend', jsonb_build_object('raw', sc - 50, 'score', sc),
                     'feature_breadth', jsonb_build_object('raw', sc / 120, 'score', sc),
                     'urgent_tickets', jsonb_build_object('raw', (100 - sc)::int / 20,
                                                          'score', 100 - sc),
                     'nps', jsonb_build_object('raw', sc / 10, 'score', sc),
                     'sentiment', jsonb_build_object('raw', NULL, 'score', NULL)),
                   0, '', '', false,
                   CASE WHEN a.segment = 'Enterprise' THEN %(enterprise)s ELSE %(default)s END,
                   1, now()
            FROM accounts_account a CROSS JOIN generate_series(1, %(days)s) d,
                 LATERAL (SELECT ((a.id * 37 + d / 30) %% 100)::float AS sc) s
            """,
            {"day": day, "days": DAYS, "default": default, "enterprise": enterprise},
        )
        per_account = max(1, OUTCOMES // ACCOUNTS)
        cursor.execute(
            """
            INSERT INTO accounts_renewaloutcome (account_id, renewed_on, outcome, arr_before,
                arr_after, recorded_at)
            SELECT id, renewed_on, outcome, 12000,
                   CASE WHEN outcome = 'churned' THEN 0 ELSE 12000 END, now()
            FROM (
              SELECT a.id, %(day)s::date - (1 + (a.id * 13 + k * 151) %% 300)::int AS renewed_on,
                     CASE WHEN (a.id * 37) %% 100 < 30 AND k = 0 THEN 'churned'
                          WHEN (a.id * 11 + k) %% 17 = 0 THEN 'churned'
                          ELSE 'renewed' END AS outcome
              FROM accounts_account a CROSS JOIN generate_series(0, %(per)s - 1) k
            ) o
            LIMIT %(outcomes)s
            """,
            {"day": day, "per": per_account, "outcomes": OUTCOMES},
        )
        cursor.execute(
            "ANALYZE accounts_account, healthscores_healthsnapshot, accounts_renewaloutcome"
        )


@pytest.fixture(scope="module")
def scorecard(django_db_setup, django_db_blocker) -> Scorecard:
    with django_db_blocker.unblock():
        day = services.today_utc()
        generate(accounts=ACCOUNTS, day=day)
        _history(day)
        yield Scorecard.objects.get(segment="")


def _run_in_fresh_process(scorecard_id: int) -> tuple[dict, float]:
    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
            f"{database['NAME']}"
        ),
        "DJANGO_SETTINGS_MODULE": "csplatform.settings",
    }
    for name in ("REDIS_URL", "CSPLATFORM_REQUIRE_SERVICES"):
        env.pop(name, None)  # the job runs here, inline: no broker, no shared cache
    finished = subprocess.run(
        [
            "/usr/bin/time",
            "-f",
            "peak-rss-kb %M",
            sys.executable,
            "-m",
            "tests.benchmarks.replay_run",
            str(scorecard_id),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    result = json.loads(finished.stdout.strip().splitlines()[-1])
    rss_kb = next(
        int(line.split()[-1])
        for line in finished.stderr.splitlines()
        if line.startswith("peak-rss-kb")
    )
    return result, rss_kb / 1024


def test_replay_of_a_draft_over_a_year_of_history(scorecard):
    result, rss_mb = _run_in_fresh_process(scorecard.pk)
    assert result["status"] == "succeeded", result
    assert result["renewals"] > 0
    scale = (
        f"{ACCOUNTS:,} accounts x {DAYS} days, {result['accounts']:,} scored by the draft's "
        f"scorecard, {result['renewals']:,} renewals replayed, {result['chunks']} chunks"
    )
    report(
        f"draft preview and replay job vs goal ({scale})",
        measured=result["seconds"],
        reference=WALL_GOAL_S,
        unit="s",
    )
    report(f"draft preview and replay peak RSS vs 1 GB ({scale})", measured=rss_mb,
           reference=RSS_GOAL_MB, unit="MB")  # fmt: skip
    assert result["seconds"] < WALL_GOAL_S
    assert rss_mb < RSS_GOAL_MB
