"""The board the API benchmarks run on, generated in SQL: accounts with their contacts,
ideas, and about a million votes skewed like a real board's."""

from __future__ import annotations

from django.db import connection

CONTACTS_PER_ACCOUNT = 10


def generate_board(
    *, author_id: int, csm_id: int, accounts: int, ideas: int, top_votes: int
) -> None:
    """``accounts`` accounts of 10 contacts, ``ideas`` ideas, and votes skewed like a real
    board: the idea of rank r gets about ``top_votes`` / r^0.7 of them, one in ten added
    by the CSM. ``top_votes`` must not exceed the contacts (each votes once per idea)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO accounts_account (name, external_id, domain, plan, segment, arr,
                licensed_seats, lifecycle_stage, started_on, renews_on, created_at, updated_at)
            SELECT 'Board ' || g, 'B-' || g, 'b' || g || '.example.com', 'Growth', 'SMB',
                   1000 * (g %% 500), 10, 'adoption', current_date - 200, current_date + 100,
                   now(), now()
            FROM generate_series(1, %s) g
            """,
            [accounts],
        )
        cursor.execute(
            """
            INSERT INTO accounts_contact (account_id, name, email, title, is_champion, created_at)
            SELECT a.id, 'Voter ' || c, 'v' || c || '@' || a.domain, '', false, now()
            FROM accounts_account a CROSS JOIN generate_series(1, %s) c
            WHERE a.external_id LIKE 'B-%%'
            """,
            [CONTACTS_PER_ACCOUNT],
        )
        cursor.execute(
            """
            INSERT INTO feedback_idea (title, description, description_html, status, author_id,
                vote_count, comment_count, trend_score, created_at, updated_at)
            SELECT 'Idea ' || g || ' about exports', 'Details', '<p>Details</p>', 'open', %s,
                   0, 0, (g * 7919 %% 1000) / 100.0,
                   now() - (g || ' minutes')::interval, now()
            FROM generate_series(1, %s) g
            """,
            [author_id, ideas],
        )
        cursor.execute(
            """
            WITH ranked AS (
                SELECT id, row_number() OVER (ORDER BY id) AS r FROM feedback_idea
            ), people AS (
                SELECT id, account_id, row_number() OVER (ORDER BY id) AS n
                FROM accounts_contact
            )
            INSERT INTO feedback_vote (idea_id, contact_id, account_id, user_id, added_by_id,
                note, created_at)
            SELECT ranked.id, people.id, people.account_id, NULL,
                   CASE WHEN people.n %% 10 = 0 THEN %s END, '', now()
            FROM ranked
            CROSS JOIN LATERAL generate_series(
                1, greatest(1, floor(%s / power(ranked.r, 0.7)))::int
            ) AS k
            JOIN people ON people.n = k
            """,
            [csm_id, top_votes],
        )
        cursor.execute(
            """
            UPDATE feedback_idea i SET vote_count = v.n
            FROM (SELECT idea_id, count(*) AS n FROM feedback_vote GROUP BY idea_id) v
            WHERE v.idea_id = i.id
            """
        )
        # As autovacuum would have by now: the visibility map lets PostgreSQL count
        # distinct accounts per idea from the (idea, account) index alone. VACUUM needs
        # autocommit, hence a transactional test.
        cursor.execute("VACUUM ANALYZE feedback_idea")
        cursor.execute("VACUUM ANALYZE feedback_vote")
