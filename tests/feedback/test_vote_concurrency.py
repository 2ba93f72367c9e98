"""Votes stay exact under concurrency, against PostgreSQL.

Two levels. The service level races ``vote_cast`` from many threads, each with its own
database connection, so the unique (idea, contact) constraint and the counter's ``F()``
update meet real concurrent transactions. The HTTP level starts a real gunicorn (several
workers, several threads each) on the test database and fires the requests a busy board
sees: 200 customers voting for one idea at the same moment, and one impatient customer
clicking 50 times at once. Both must leave exactly the votes that were meant.

The data is committed (``transactional_db``) because gunicorn's processes cannot see a
test's open transaction.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from django.utils import timezone

from accounts.models import Contact, User
from core.roles import Role
from feedback.models import Vote
from feedback.services import vote_cast
from tests.accounts.factories import AccountFactory, ContactFactory
from tests.concurrency import race as _race
from tests.feedback.factories import IdeaFactory

pytestmark = [pytest.mark.needs_postgres, pytest.mark.timeout(120)]

BASE_DIR = Path(settings.BASE_DIR)
VOTERS = 200
REPEATS = 50
#: Threads racing in the service-level test. Each holds its own connection, and the
#: PostgreSQL server (max_connections 100 by default) is shared with the rest of the run,
#: so the 200 votes go through 32 connections at once rather than 200.
SERVICE_THREADS = 32
#: gunicorn: 2 workers x 8 threads, 16 requests in flight at once (and 16 connections).
GUNICORN_WORKERS = 2
GUNICORN_THREADS = 8
#: Client threads: more than the server's, so requests queue in gunicorn's backlog too.
CLIENT_THREADS = 48


# --- Data ----------------------------------------------------------------------------


def _customers(count: int) -> list[User]:
    """``count`` customers spread over ten accounts, one contact each."""
    accounts = AccountFactory.create_batch(10)
    contacts = Contact.objects.bulk_create(
        ContactFactory.build(account=accounts[n % len(accounts)], email=f"voter{n}@example.com")
        for n in range(count)
    )
    return User.objects.bulk_create(
        User(
            username=f"voter{n}",
            email=f"voter{n}@example.com",
            first_name=f"Voter{n}",
            role=Role.CUSTOMER,
            contact=contact,
            password="!",  # no password: they arrive with a session, as after a sign-in
        )
        for n, contact in enumerate(contacts)
    )


def _session_cookie(user: User) -> str:
    """A stored session for ``user``, as ``django.contrib.auth.login`` would leave it."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


# --- Service level -------------------------------------------------------------------


def test_concurrent_vote_cast_from_many_connections_counts_each_person_once(transactional_db):
    voters = _customers(VOTERS)
    idea = IdeaFactory(author=voters[0])

    results = _race(
        [lambda user=user: vote_cast(idea=idea, actor=user) for user in voters],
        SERVICE_THREADS,
    )

    assert results.count(True) == VOTERS, [r for r in results if r is not True][:3]
    idea.refresh_from_db()
    assert Vote.objects.filter(idea=idea).count() == VOTERS
    assert idea.vote_count == VOTERS

    # One person, many connections at once: one vote, one True.
    repeat = IdeaFactory(author=voters[0])
    again = _race(
        [lambda: vote_cast(idea=repeat, actor=voters[1])] * REPEATS,
        SERVICE_THREADS,
    )
    assert again.count(True) == 1
    repeat.refresh_from_db()
    assert repeat.vote_count == Vote.objects.filter(idea=repeat).count() == 1


# --- HTTP level: a real gunicorn -----------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    port: int
    log: Path

    def request(
        self,
        method: str,
        path: str,
        *,
        session: str | None = None,
        headers: dict[str, str] | None = None,
        body: str = "",
    ) -> tuple[int, str]:
        """One request on a fresh connection; with ``session``, signed in and carrying a
        CSRF cookie and the matching header, as a browser's htmx or fetch call does."""
        sent = dict(headers or {})
        if session is not None:
            token = secrets.token_hex(16)  # 32 characters: an unmasked CSRF secret
            sent["Cookie"] = (
                f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={token}"
            )
            sent["X-CSRFToken"] = token
        if body:
            sent.setdefault("Content-Type", "application/x-www-form-urlencoded")
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body or None, headers=sent)
            response = conn.getresponse()
            return response.status, response.read().decode()
        finally:
            conn.close()


def _wait_until_healthy(server: Server, process: subprocess.Popen, deadline: float) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited:\n{server.log.read_text()[-3000:]}")
        try:
            if server.request("GET", "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"gunicorn did not answer /healthz:\n{server.log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def gunicorn(django_db_setup) -> Iterator[Server]:
    """gunicorn serving the project on the test database, on a free port; one server for
    the module, each test committing its own data (``transactional_db``)."""
    db = settings.DATABASES["default"]
    url = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "csplatform.settings",
        "DATABASE_URL": url,
        # Tasks run inline and the cache is per process: the server needs nothing but
        # the database, whatever this run was given.
        "REDIS_URL": "",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        # The sessions this test signs in expire by the test's pinned clock.
        "CSPLATFORM_TEST_NOW": timezone.now().isoformat(),
    }
    port = _free_port()
    with tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False) as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.pinned_process",
                "gunicorn",
                "csplatform.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                f"--workers={GUNICORN_WORKERS}",
                f"--threads={GUNICORN_THREADS}",
                "--preload",
                "--timeout=60",
                "--log-level=warning",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = Server(port=port, log=Path(log.name))
    try:
        _wait_until_healthy(server, process, time.monotonic() + 30)
        yield server
    finally:
        # Every request has been answered: a quick shutdown (SIGQUIT) is enough, and the
        # workers' database connections close with them, so the test database can be
        # dropped at the end of the session.
        process.send_signal(signal.SIGQUIT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        server.log.unlink(missing_ok=True)


def _fire(requests: list[Callable[[], tuple[int, str]]]) -> list[int]:
    """Send all requests at once from a pool of client threads; their status codes."""
    barrier = threading.Barrier(min(CLIENT_THREADS, len(requests)))

    def worker(chunk: list[Callable[[], tuple[int, str]]]) -> list[int]:
        barrier.wait(timeout=30)
        return [send()[0] for send in chunk]

    chunks = [requests[i::CLIENT_THREADS] for i in range(min(CLIENT_THREADS, len(requests)))]
    with ThreadPoolExecutor(max_workers=len(chunks)) as pool:
        return [status for chunk in pool.map(worker, chunks) for status in chunk]


def _shown_votes(html: str) -> list[int]:
    """The counts the page's vote buttons show (``<span class="vote-count">N</span>``)."""
    return [int(n) for n in re.findall(r'class="vote-count">\s*(\d+)\s*<', html)]


def test_gunicorn_counts_200_concurrent_voters(gunicorn, transactional_db):
    voters = _customers(VOTERS)
    sessions = [_session_cookie(user) for user in voters]
    idea = IdeaFactory(author=None)
    vote_page = reverse("feedback:vote", args=[idea.pk])

    # 200 customers press the vote button (an htmx POST of action=vote) at the same moment.
    statuses = _fire(
        [
            lambda session=session: gunicorn.request(
                "POST",
                vote_page,
                session=session,
                headers={"HX-Request": "true"},
                body="action=vote",
            )
            for session in sessions
        ]
    )

    assert set(statuses) == {200}, sorted(set(statuses))
    idea.refresh_from_db()
    assert Vote.objects.filter(idea=idea).count() == VOTERS
    assert idea.vote_count == VOTERS
    status, page = gunicorn.request(
        "GET", reverse("feedback:idea", args=[idea.pk]), session=sessions[0]
    )
    assert status == 200
    assert _shown_votes(page) == [VOTERS]
    status, board = gunicorn.request("GET", reverse("feedback:board"), session=sessions[0])
    assert status == 200
    assert VOTERS in _shown_votes(board)


def test_gunicorn_keeps_one_vote_for_one_customer_clicking_50_times(gunicorn, transactional_db):
    voter, other = _customers(2)
    session = _session_cookie(voter)
    page_idea, api_idea = IdeaFactory(author=other), IdeaFactory(author=other)

    # The page's button posts the state it asks for, so repeating it is harmless...
    page_vote = reverse("feedback:vote", args=[page_idea.pk])
    page_statuses = _fire(
        [lambda: gunicorn.request("POST", page_vote, session=session, body="action=vote")] * REPEATS
    )
    # ...and so is the API's vote.
    api_vote = f"/api/ideas/{api_idea.pk}/vote/"
    api_statuses = _fire([lambda: gunicorn.request("POST", api_vote, session=session)] * REPEATS)

    assert set(page_statuses) <= {302, 303}, sorted(set(page_statuses))
    assert set(api_statuses) <= {200, 201}, sorted(set(api_statuses))
    for idea in (page_idea, api_idea):
        idea.refresh_from_db()
        assert idea.vote_count == 1
        assert list(Vote.objects.filter(idea=idea).values_list("user", flat=True)) == [voter.pk]
