"""A database made by the code before the layout moved models between apps migrates to
today's code with nothing lost: same tables, same rows, readable through the new models.

The old code is taken from git (the last commit before the layout change), run in a
subprocess against a database of its own to migrate and seed the demo, then today's
``migrate`` runs on the same database.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import uuid
from io import BytesIO
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
#: main just before the layout change (notifications, ingest, productrisk, demo apps).
BEFORE_LAYOUT = "d8a1c61"
#: Tables whose rows a migration is expected to add to: the migration log itself.
GROWING = {"django_migrations"}
#: Health's recompute runs became every kind's jobs: renamed tables, columns added.
RENAMED = {"healthscores_recomputerun": "core_job", "healthscores_recomputechunk": "core_jobchunk"}
#: Models that moved, by their unchanged table, and the app they now belong to.
MOVED = {
    "accounts_alert": ("notifications", "Alert"),
    "accounts_importjob": ("ingest", "ImportJob"),
    "accounts_writekey": ("ingest", "WriteKey"),
    "feedback_productrisk": ("productrisk", "ProductRisk"),
    "feedback_productriskaccount": ("productrisk", "ProductRiskAccount"),
    "feedback_riskrule": ("productrisk", "RiskRule"),
}

pytestmark = pytest.mark.needs_postgres


def _url(name: str) -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _admin_connection() -> psycopg.Connection:
    db = settings.DATABASES["default"]
    return psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


@pytest.fixture
def scratch_database():
    name = f"csp_layout_{uuid.uuid4().hex[:10]}"
    with _admin_connection() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with _admin_connection() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _old_tree(target: Path) -> Path:
    archive = subprocess.run(
        ["git", "archive", "--format=tar", BEFORE_LAYOUT],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target


def _manage(tree: Path, database: str, *args: str) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": _url(database),
        "REDIS_URL": "",
        "CSPLATFORM_ENV": "development",
        "DJANGO_SETTINGS_MODULE": "csplatform.settings",
        "PYTHONPATH": str(tree),
    }
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    return done.stdout


def _columns(database: str) -> dict[str, list[str]]:
    """Every table's columns, in their order."""
    with psycopg.connect(_url(database)) as conn:
        rows = conn.execute(
            "SELECT c.table_name, c.column_name FROM information_schema.columns c "
            "JOIN information_schema.tables t USING (table_schema, table_name) "
            "WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' "
            "ORDER BY c.table_name, c.ordinal_position"
        ).fetchall()
    columns: dict[str, list[str]] = {}
    for table, column in rows:
        columns.setdefault(table, []).append(column)
    return columns


def _tables(database: str, columns: dict[str, list[str]]) -> dict[str, tuple[int, str]]:
    """Each table of ``columns`` that exists: its row count and an MD5 of those columns'
    values in every row, so columns that later migrations add do not count, and the old
    ones must keep every value."""
    found = {}
    present = _columns(database)
    with psycopg.connect(_url(database)) as conn:
        for name, names in columns.items():
            if name not in present:
                continue
            row = ", ".join(f't."{column}"' for column in names)
            count, digest = conn.execute(
                f"SELECT count(*), md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) "
                f'FROM (SELECT ROW({row}) AS r FROM "{name}" t) rows'
            ).fetchone()
            found[name] = (count, digest)
    return found


def _count(database: str, table: str) -> int:
    with psycopg.connect(_url(database)) as conn:
        return conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]


def _content_types(database: str) -> dict[int, tuple[str, str]]:
    with psycopg.connect(_url(database)) as conn:
        rows = conn.execute("SELECT id, app_label, model FROM django_content_type").fetchall()
    return {pk: (app, model) for pk, app, model in rows}


@pytest.mark.timeout(900)
def test_a_demo_database_of_the_old_layout_migrates_with_nothing_lost(scratch_database, tmp_path):
    old = _old_tree(tmp_path / "before")
    _manage(old, scratch_database, "migrate", "--noinput", "-v", "0")
    _manage(old, scratch_database, "seed_demo", "--accounts", "12")
    # The demo makes no tracking write key; an installation in use has one.
    _manage(
        old,
        scratch_database,
        "shell",
        "-c",
        "from accounts.models import WriteKey; WriteKey.objects.create(name='Segment')",
    )
    old_columns = _columns(scratch_database)
    before = _tables(scratch_database, old_columns)
    types_before = _content_types(scratch_database)
    assert all(before[table][0] > 0 for table in MOVED), {t: before[t] for t in MOVED}

    _manage(ROOT, scratch_database, "migrate", "--noinput", "-v", "0")
    after = _tables(scratch_database, old_columns)
    types_after = _content_types(scratch_database)
    # Models added since the layout change bring their type and its four permissions.
    added_types = len(set(types_after) - set(types_before))

    for table, (count, digest) in before.items():
        if table in GROWING:
            continue
        if table == "django_content_type":
            # Relabelled (moved and renamed models), checked below: none lost.
            assert set(types_before) <= set(types_after)
            assert after[table][0] == count + added_types, table
            continue
        if table == "auth_permission":
            assert after[table][0] == count + 4 * added_types, table
            continue
        if table in RENAMED:
            assert table not in after
            assert _count(scratch_database, RENAMED[table]) == count, table
            continue
        assert after.get(table) == (count, digest), table
    with psycopg.connect(_url(scratch_database)) as conn:
        kinds = conn.execute("SELECT DISTINCT kind FROM core_job").fetchall()
    assert kinds == [("health",)]
    # The moved models' content types kept their ids (permissions, admin history point
    # at them) and now carry their new app.
    moved_types = {
        (table.split("_", 1)[0], model.lower()): (app, model.lower())
        for table, (app, model) in MOVED.items()
    }
    moved_types[("healthscores", "recomputerun")] = ("core", "job")
    moved_types[("healthscores", "recomputechunk")] = ("core", "jobchunk")
    for old, new in moved_types.items():
        pk = next(pk for pk, label in types_before.items() if label == old)
        assert types_after[pk] == new

    # Today's models read every row where the old ones wrote it.
    script = (
        "import json; from django.apps import apps; print(json.dumps({t: "
        f"apps.get_model(a, m).objects.count() for t, (a, m) in {MOVED!r}.items()}}))"
    )
    output = _manage(ROOT, scratch_database, "shell", "-v", "0", "-c", script)
    counts = json.loads(output.strip().splitlines()[-1])
    assert counts == {table: before[table][0] for table in MOVED}
