"""The README's first command on its embedded default: SQLite, tasks inline.

The suite runs on PostgreSQL, so SQL that only PostgreSQL speaks once broke `make run`
unseen (the playbook rules' INSERT … SELECT). This seeds the demo on a fresh SQLite file
in a process of its own, without ``DATABASE_URL`` or ``REDIS_URL``, and follows every
link each demo login can reach: no page may answer 500.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(600)
def test_the_embedded_demo_seeds_and_serves_every_page(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "csplatform.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "WIDGET_DEMO_PAGE": "true",
    }
    result = subprocess.run(
        [sys.executable, "-m", "tests.demo.embedded_crawl"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=540,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    pages = json.loads(result.stdout.strip().splitlines()[-1])
    assert all(login["visited"] >= 5 for login in pages.values()), pages
    failed = {name: login["failed"] for name, login in pages.items() if login["failed"]}
    assert failed == {}, result.stderr[-4000:]
