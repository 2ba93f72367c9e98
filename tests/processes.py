"""Real processes for the tests that kill workers and stop Redis: a Redis server of the
test's own, Celery workers and gunicorn on the test database.

The machine's Redis is shared; a test that stops and starts Redis stops and starts its
own (``redis-server`` on a free port, no persistence), and points the processes it
starts, and this process's Celery app, at it.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from csplatform.celery import app as celery_app

ROOT = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(predicate: Callable[[], bool], seconds: float = 20, every: float = 0.1) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return predicate()


@dataclass
class RedisServer:
    """A throwaway ``redis-server`` on a free port, stopped and started at will."""

    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        assert wait_for(self._answers(client), 10), "redis-server did not start"

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def queued(self, queue: str = "celery") -> int:
        return redis.Redis(port=self.port).llen(queue)

    @staticmethod
    def _answers(client: redis.Redis) -> Callable[[], bool]:
        def ping() -> bool:
            try:
                return bool(client.ping())
            except redis.RedisError:
                return False

        return ping


@contextmanager
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def broker_at(url: str) -> Iterator[None]:
    """This process's Celery app sends to ``url`` (and no longer runs tasks inline)."""
    conf = celery_app.conf
    saved = conf.broker_url, conf.task_always_eager
    conf.broker_url, conf.task_always_eager = url, False
    _drop_connections()
    try:
        yield
    finally:
        conf.broker_url, conf.task_always_eager = saved
        _drop_connections()


def _drop_connections() -> None:
    """Forget the pools of the previous URL (kombu keeps them per URL; closing them
    would break the next test that sends to it)."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _env(redis_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "csplatform.settings",
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url,
        # The process computes "today" on the test's pinned clock (tests/pinned_process.py).
        "CSPLATFORM_TEST_NOW": timezone.now().isoformat(),
        "LOG_LEVEL": "INFO",
        **extra,
    }


def start_worker(redis_url: str, log: Path, **env: str) -> subprocess.Popen:
    """One Celery worker process that runs its tasks itself (``--pool=solo``): killing
    this process kills the task it runs, heartbeat and all."""
    with log.open("a") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "tests.pinned_process", "celery", "-A", "csplatform",
             "worker", "--pool=solo", "--without-gossip", "--without-mingle",
             "--without-heartbeat", "--loglevel=INFO"],
            cwd=ROOT, env=_env(redis_url, **env), stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def stop_all(processes: list[subprocess.Popen]) -> None:
    """Stop several processes side by side: each is told before any is waited for (a
    worker's warm shutdown takes seconds)."""
    running = [process for process in processes if process.poll() is None]
    for process in running:
        process.terminate()
    deadline = time.monotonic() + 20
    for process in running:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def kill(process: subprocess.Popen) -> None:
    """SIGKILL: no cleanup, no acknowledgement, as when a machine or container dies."""
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


@dataclass
class Gunicorn:
    port: int
    log: Path
    process: subprocess.Popen

    def request(
        self, method: str, path: str, *, body: bytes | str = b"", headers: dict | None = None
    ) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body or None, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read().decode()
        finally:
            conn.close()


@contextmanager
def gunicorn(
    redis_url: str, log: Path, *, workers: int = 1, threads: int = 4, **env: str
) -> Iterator[Gunicorn]:
    """gunicorn serving the project on the test database and ``redis_url``, with the
    production configuration (``csplatform.gunicorn_conf``)."""
    port = free_port()
    with log.open("a") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.pinned_process", "gunicorn",
             "-c", "python:csplatform.gunicorn_conf", "csplatform.wsgi:application",
             f"--bind=127.0.0.1:{port}", f"--workers={workers}", f"--threads={threads}",
             "--timeout=60", "--log-level=warning"],
            cwd=ROOT, env=_env(redis_url, DEBUG="false", **env), stdout=out,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    server = Gunicorn(port=port, log=log, process=process)

    def listening() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited:\n{log.read_text()[-3000:]}")
        try:
            server.request("GET", "/login/")
        except OSError:
            return False
        return True

    try:
        assert wait_for(listening, 30, 0.2), log.read_text()[-3000:]
        yield server
    finally:
        process.send_signal(signal.SIGQUIT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
