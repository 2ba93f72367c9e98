"""gunicorn with csplatform/gunicorn_conf.py, as the image and docker-compose start it: a
bad configuration stops it with one line, and responses do not name the server.

gunicorn runs here on the loopback interface in a subprocess, against a SQLite file:
nothing external is needed."""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path

import pytest

from tests.csplatform.test_settings import PRODUCTION_ENV, ROOT

GUNICORN = [sys.executable, "-m", "gunicorn", "-c", "python:csplatform.gunicorn_conf"]


def _env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    leave_out = {*PRODUCTION_ENV, "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in leave_out}
    return {
        **base,
        **PRODUCTION_ENV,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        # A broker that refuses at once: /healthz then answers 503 without waiting on a
        # name lookup, which is all these tests need of it.
        "REDIS_URL": "redis://127.0.0.1:1/0",
        **overrides,
    }


@pytest.mark.parametrize(
    ("overrides", "variable"),
    [
        pytest.param({"SECRET_KEY": "too-short"}, "SECRET_KEY", id="weak secret key"),
        pytest.param({"DEBUG": "true"}, "DEBUG", id="debug"),
    ],
)
def test_a_bad_configuration_stops_gunicorn_with_one_line(tmp_path, overrides, variable):
    """Without the configuration file, each worker dies as it boots and gunicorn starts
    another one forever."""
    result = subprocess.run(
        [*GUNICORN, "csplatform.wsgi", "--bind", "127.0.0.1:0", "--workers", "2"],
        cwd=ROOT,
        env=_env(tmp_path, **overrides),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("csplatform: configuration error:")
    assert variable in lines[0]


def _serve(tmp_path: Path, *args: str) -> tuple[subprocess.Popen, int]:
    """gunicorn with one worker on a port the system chose, once it listens. Its log goes
    to a file: a pipe nobody reads fills up and stops gunicorn mid-request."""
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [*GUNICORN, "csplatform.wsgi", "--bind", "127.0.0.1:0", "--workers", "1", *args],
            cwd=ROOT,
            env=_env(tmp_path),
            stderr=out,
            text=True,
        )
    # gunicorn names the port the system chose once it listens.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        if found := re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", log.read_text()):
            return process, int(found.group(1))
        time.sleep(0.1)
    process.terminate()
    process.wait(timeout=30)
    raise AssertionError(f"gunicorn did not listen within 30 s: {log.read_text()}")


def _get(request: urllib.request.Request) -> Message:
    """The answer's headers, whatever its status (/healthz says 503 without a broker)."""
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
            return response.headers
    except urllib.error.HTTPError as error:
        return error.headers


def test_gunicorn_sends_no_server_header(tmp_path):
    process, port = _serve(tmp_path)
    try:
        headers = _get(urllib.request.Request(f"http://127.0.0.1:{port}/healthz"))
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert "Server" not in headers
    assert headers["Date"]  # gunicorn's other headers are still there
    assert "Content-Security-Policy" in headers
    assert "Permissions-Policy" in headers


def test_the_access_log_holds_no_write_key(tmp_path):
    """GIVEN gunicorn logging access WHEN a Segment library sends its write key as the
    Basic-auth user THEN the access log has the request, and not the key."""
    log = tmp_path / "access.log"
    process, port = _serve(tmp_path, "--access-logfile", str(log))
    key = "wk-secret-0123456789abcdef"
    token = base64.b64encode(f"{key}:".encode()).decode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz", headers={"Authorization": f"Basic {token}"}
    )
    try:
        _get(request)
    finally:
        process.terminate()
        process.wait(timeout=30)
    written = log.read_text()
    assert "GET /healthz" in written
    assert key not in written
