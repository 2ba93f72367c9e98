"""Usage ingest at scale on PostgreSQL (`make bench`): rows/s against a bare COPY of the
same file on the same machine in the same run, peak memory, and a re-ingest."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from django.db import connection

from accounts.models import Account, UsageEvent
from tests.benchmarks.report import report

pytestmark = [
    pytest.mark.benchmark,
    pytest.mark.needs_postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(1800),
]

ROOT = Path(__file__).resolve().parents[2]
ROWS = int(os.environ.get("BENCH_INGEST_ROWS", 1_000_000))
ACCOUNTS = 1_000
RATIO_TARGET = 0.5  # our rows/s at least half of a bare COPY's
RSS_LIMIT_MB = 400
REINGEST_LIMIT = 1.5  # a re-ingest takes at most 1.5x the first run


def generate_usage_csv(path: Path | str, rows: int) -> None:
    """A realistic file: 1,000 accounts, 20 events, 30 people each, over 90 days."""
    rng = np.random.default_rng(1)
    account = pd.Series(rng.integers(1, ACCOUNTS + 1, rows)).astype(str).str.zfill(5)
    seconds = pd.to_timedelta(rng.integers(0, 90 * 86400, rows), unit="s")
    frame = pd.DataFrame(
        {
            "account_external_id": "B-" + account,
            "event": "feature." + pd.Series(rng.integers(0, 20, rows)).astype(str),
            "occurred_at": (pd.Timestamp("2026-08-20") + seconds).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "quantity": 1,
            "contact_email": "user"
            + pd.Series(rng.integers(0, 30, rows)).astype(str)
            + "@b-"
            + account
            + ".example.com",
            "message_id": "m-" + pd.Series(np.arange(rows)).astype(str),
        }
    )
    frame.to_csv(path, index=False)


def bare_copy_seconds(path: Path) -> float:
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE UNLOGGED TABLE bench_bare (a text, e text, t timestamptz, q float8, "
            "c text, m text)"
        )
        started = time.perf_counter()
        with (
            path.open("rb") as source,
            cursor.cursor.copy("COPY bench_bare FROM STDIN (FORMAT csv, HEADER)") as copy,
        ):
            while block := source.read(1024 * 1024):
                copy.write(block)
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_bare")
    return elapsed


def ingest_cli(path: Path) -> tuple[float, float, str]:
    """Run `manage.py ingest usage` as its own process: seconds, peak RSS in MB, output."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "ingest", "usage", str(path)],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    assert os.waitstatus_to_exitcode(status) == 0, output
    return elapsed, usage.ru_maxrss / 1024, output


def test_usage_ingest_speed_memory_and_reingest(tmp_path):
    Account.objects.bulk_create(
        [Account(external_id=f"B-{i:05d}", name=f"Bench {i}") for i in range(1, ACCOUNTS + 1)]
    )
    path = tmp_path / "usage.csv"
    # Generated in its own process: the CLI's peak RSS is read from its rusage, and a
    # child forked from a large parent would report the parent's pages as its own.
    script = (
        "import django; django.setup(); "
        f"from {__name__} import generate_usage_csv; generate_usage_csv({str(path)!r}, {ROWS})"
    )
    subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "csplatform.settings"},
        check=True,
    )

    bare = bare_copy_seconds(path)
    first, rss, output = ingest_cli(path)
    assert UsageEvent.objects.count() == ROWS, output
    again, _rss, output_again = ingest_cli(path)
    assert "0 inserted" in output_again
    assert f"{ROWS} duplicates" in output_again

    bare_rate, our_rate = ROWS / bare, ROWS / first
    ratio = report(
        "usage ingest rows/s vs bare COPY", measured=our_rate, reference=bare_rate, unit="rows/s"
    )
    report("usage ingest peak RSS", measured=rss, reference=RSS_LIMIT_MB, unit="MB")
    reingest = report("re-ingest time vs first run", measured=again, reference=first, unit="s")
    assert rss < RSS_LIMIT_MB
    assert reingest < REINGEST_LIMIT
    assert ratio >= RATIO_TARGET
