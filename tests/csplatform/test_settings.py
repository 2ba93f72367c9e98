"""Production settings: `check --deploy` is silent; a missing secret, a weak one or DEBUG
stops start-up with one clear line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "CSPLATFORM_ENV": "production",
    "SECRET_KEY": "x7#k2!vq9@m4$zr8^tp1&wd6*hs3(yf5)ne0_lb-jc+gu=oa~ix%qe<ry>tz",
    "ALLOWED_HOSTS": "cs.example.com",
    "DATABASE_URL": "postgres://cs@db.invalid:5432/cs",
    "REDIS_URL": "redis://redis.invalid:6379/0",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    leave_out = {*PRODUCTION_ENV, "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in leave_out}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_env():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_missing_production_variable_stops_with_one_line_naming_it():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "SECRET_KEY" in lines[0]
    assert "Traceback" not in result.stderr


def _refused(result: subprocess.CompletedProcess, variable: str) -> str:
    """The process stopped with one line naming the variable, and nothing else."""
    assert result.returncode != 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("csplatform: configuration error:")
    assert variable in lines[0]
    return lines[0]


def test_debug_true_is_refused_in_production():
    line = _refused(manage("check", env={**PRODUCTION_ENV, "DEBUG": "true"}), "DEBUG")
    assert "set it to false" in line


def test_debug_false_is_accepted_in_production():
    result = manage("check", env={**PRODUCTION_ENV, "DEBUG": "false"})
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "secret_key",
    [
        pytest.param("abcde", id="five characters"),
        pytest.param("x7#k2!vq9@m4$zr8^tp1&wd6*hs3(yf5)ne0_lb-jc+gu=oa~", id="49 characters"),
        pytest.param("abcd" * 20, id="four distinct characters"),
        pytest.param("django-insecure-" + PRODUCTION_ENV["SECRET_KEY"], id="django-insecure"),
    ],
)
def test_weak_secret_key_is_refused_in_production(secret_key):
    line = _refused(manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": secret_key}), "SECRET_KEY")
    assert "secrets.token_urlsafe(50)" in line  # says how to make a good one
    assert secret_key not in line  # and does not print the secret


def test_short_secret_key_is_still_fine_in_development():
    result = manage("check", env={"SECRET_KEY": "abcde", "DEBUG": "true"})
    assert result.returncode == 0, result.stdout + result.stderr


# Two requests that each read, then write, at the same time: deferred transactions hold
# a read lock each and the second writer failed at once with "database is locked".
CONCURRENT_WRITERS = """
import threading, time
import django
django.setup()
from django.db import connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE counter (n integer)")
    cursor.execute("INSERT INTO counter VALUES (0)")
errors = []

def read_then_write():
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT n FROM counter")
            time.sleep(0.3)  # the other request reads meanwhile
            cursor.execute("UPDATE counter SET n = n + 1")
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connection.close()

threads = [threading.Thread(target=read_then_write) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT n FROM counter")
    print(errors, cursor.fetchone()[0])
"""


def test_sqlite_requests_that_write_at_once_wait_for_each_other(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", CONCURRENT_WRITERS],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "csplatform.settings",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[] 2"
