"""The idea board's first page at 10,000 ideas and 1,000,000 votes (`make bench`).

The board reads the vote counter stored on each idea through the (-vote_count, -id)
index; the reference is the Fider-style list query that counts votes on read
(COUNT(*) ... GROUP BY over the votes table) on the same data. The data is generated in
SQL (the setup is not what is measured); each page is requested through Django's test
client with the test-only template instrumentation switched off, so the figure is the
server's time, not the test harness's.
"""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.template.base import Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from tests.accounts.factories import UserFactory
from tests.benchmarks.report import p95, report

pytestmark = [
    pytest.mark.benchmark,
    pytest.mark.needs_postgres,
    pytest.mark.django_db,
    pytest.mark.timeout(1800),
]

IDEAS = 10_000
VOTES = 1_000_000
ACCOUNTS = 1_000
CONTACTS = 25_000
P95_REFERENCE_MS = 100.0
REQUESTS = 40


def _generate() -> int:
    """Ideas, contacts and a skewed vote distribution (a few ideas get most votes, as on
    real boards); counters set from the votes, as the services keep them."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO accounts_account (name, external_id, domain, plan, segment, arr,
                licensed_seats, lifecycle_stage, created_at, updated_at)
            SELECT 'Board ' || g, 'B-' || g, '', '', '', 1000 * g, 10, 'adoption', now(), now()
            FROM generate_series(1, %s) g
            """,
            [ACCOUNTS],
        )
        cursor.execute(
            """
            INSERT INTO accounts_contact (account_id, name, email, title, is_champion, created_at)
            SELECT (SELECT min(id) FROM accounts_account WHERE external_id LIKE 'B-%%')
                   + g %% %s, 'Voter ' || g, '', '', false, now()
            FROM generate_series(1, %s) g
            """,
            [ACCOUNTS, CONTACTS],
        )
        cursor.execute(
            """
            INSERT INTO feedback_idea (title, description, description_html, status,
                vote_count, comment_count, trend_score, created_at, updated_at)
            SELECT 'Idea ' || g || ' about '
                       || (ARRAY['exports','billing','SSO','reports'])[1 + g %% 4],
                   'Words about it.', '<p>Words about it.</p>',
                   (ARRAY['open','open','under_review','planned','shipped'])[1 + g %% 5],
                   0, g %% 7, random() * 100, now() - (g || ' minutes')::interval, now()
            FROM generate_series(1, %s) g
            """,
            [IDEAS],
        )
        # Each contact votes on ~VOTES/CONTACTS ideas drawn with a cubic skew; the unique
        # (idea, contact) constraint drops the few repeats.
        cursor.execute(
            """
            INSERT INTO feedback_vote (idea_id, contact_id, account_id, note, created_at)
            SELECT i.first + floor(%s * power(random(), 3))::int, c.id, c.account_id, '', now()
            FROM accounts_contact c
            CROSS JOIN generate_series(1, %s) k
            CROSS JOIN (SELECT min(id) AS first FROM feedback_idea) i
            ON CONFLICT DO NOTHING
            """,
            [IDEAS, VOTES // CONTACTS + 3],
        )
        cursor.execute(
            """
            UPDATE feedback_idea SET vote_count = v.n
            FROM (SELECT idea_id, count(*) AS n FROM feedback_vote GROUP BY idea_id) v
            WHERE v.idea_id = feedback_idea.id
            """
        )
        cursor.execute("ANALYZE")
        cursor.execute("SELECT count(*) FROM feedback_vote")
        return cursor.fetchone()[0]


def _count_on_read_ms() -> float:
    """Fider's board query: each idea's votes counted on read, top 25 by that count."""
    samples = []
    with connection.cursor() as cursor:
        for _ in range(5):
            started = time.perf_counter()
            cursor.execute(
                """
                SELECT i.id, i.title, i.status, COUNT(v.id) AS votes
                FROM feedback_idea i LEFT JOIN feedback_vote v ON v.idea_id = i.id
                WHERE i.status <> 'merged'
                GROUP BY i.id ORDER BY votes DESC, i.id DESC LIMIT 25
                """
            )
            cursor.fetchall()
            samples.append((time.perf_counter() - started) * 1000)
    return sorted(samples)[len(samples) // 2]


def test_board_first_page_with_10000_ideas_and_1m_votes(monkeypatch):
    votes = _generate()
    assert votes > VOTES * 0.95
    # Django's test runner wraps template rendering to record contexts for assertions;
    # that bookkeeping is the test harness's time, not the server's.
    from django.test.utils import _TestState

    monkeypatch.setattr(Template, "_render", _TestState.saved_data.template_render)

    customer = UserFactory(role=Role.CUSTOMER)
    client = Client()
    client.force_login(customer)
    url = reverse("feedback:board")
    client.get(url)  # warm the template and status-label caches
    with CaptureQueriesContext(connection) as first_page:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as later_page:
        assert client.get(url, {"page": 300}).status_code == 200
    # Read now: the next request empties the query log the captures slice.
    queries = len(first_page)
    assert queries == len(later_page)
    assert 0 < queries <= 8

    samples = []
    for index in range(REQUESTS):
        params = {"sort": ("top", "trending", "newest")[index % 3]}
        started = time.perf_counter()
        response = client.get(url, params)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    board_ms = p95(samples)
    report("board first page p95", measured=board_ms, reference=P95_REFERENCE_MS, unit="ms")
    report(
        f"board page ({queries} queries) vs count-on-read list query",
        measured=board_ms,
        reference=_count_on_read_ms(),
        unit="ms",
    )
    assert board_ms < P95_REFERENCE_MS
