"""Writing the stored demand of every idea (:class:`feedback.models.IdeaDemand`).

Called by the product-risk recompute inside its transaction, right after it staged the
distinct (idea, account) pairs of every idea still open to demand, with each account's
ARR, health band and renewal, in a temporary table it names (``staged``: columns
idea_id, arr, band, renews_soon, by_vote): the pairs are read once for both.
Everything happens on the server, a few set-based statements whatever the size:

1. one query builds this run's figures into a temporary table — the account figures
   from the staged pairs that come from a vote; for shipped and declined ideas (not
   staged: their flags are frozen) the same pairs read from their votes, a smaller
   aggregate; one GROUP BY over votes for the customer/CSM split and one over linked
   tickets;
2. ``INSERT … ON CONFLICT DO UPDATE … WHERE`` a figure differs: new ideas get a row,
   changed ones are rewritten, unchanged ones are not touched (no dead rows, a second
   run writes nothing);
3. rows of ideas with no demand left (votes withdrawn, tickets unlinked, merged into
   another idea) are deleted.

Closed ideas are computed too, not frozen: the triage table lists shipped and declined
ideas beside open ones, and a snapshot frozen at closing would leave every idea closed
before this table existed at zero and would keep the ARR of accounts that have since
shrunk or churned. They take no new votes, so their figures move only with their
accounts' facts. The same SQL runs on PostgreSQL and on SQLite (the embedded mode).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import connection

from accounts.models import Account, Ticket
from core.sql import table_name
from feedback.models import Idea, IdeaDemand, IdeaTicket, Vote
from feedback.statuses import IdeaStatus
from healthscores.models import AccountHealth

#: Ideas the evidence stage leaves out but whose demand is still shown (merged ideas
#: have none: their votes and tickets moved to the idea they went into).
UNSTAGED_STATUSES = (IdeaStatus.SHIPPED, IdeaStatus.DECLINED)
#: This run's figures, one row per idea with any demand (dropped at the end).
FRESH = "idea_demand_fresh"
FIGURES = [
    "customer_votes",
    "csm_votes",
    "vote_accounts",
    "arr_total",
    "red_accounts",
    "yellow_accounts",
    "renewing_accounts",
    "ticket_count",
    "ticket_accounts",
]


def _fresh_query(staged: str) -> str:
    unstaged = ", ".join(f"'{status.value}'" for status in UNSTAGED_STATUSES)
    return f"""
        WITH pairs AS (
            SELECT idea_id, arr, band, renews_soon FROM {staged} WHERE by_vote = 1
            UNION ALL
            SELECT p.idea_id, a.arr, coalesce(h.effective_band, ''),
                   CASE WHEN a.renews_on >= %s AND a.renews_on <= %s THEN 1 ELSE 0 END
            FROM (
                SELECT DISTINCT v.idea_id, v.account_id
                FROM {table_name(Vote)} v
                JOIN {table_name(Idea)} i ON i.id = v.idea_id AND i.status IN ({unstaged})
            ) p
            JOIN {table_name(Account)} a ON a.id = p.account_id
            LEFT JOIN {table_name(AccountHealth)} h ON h.account_id = p.account_id
        ),
        accounts AS (
            SELECT idea_id, count(*) AS vote_accounts, sum(arr) AS arr_total,
                   sum(CASE WHEN band = 'red' THEN 1 ELSE 0 END) AS red_accounts,
                   sum(CASE WHEN band = 'yellow' THEN 1 ELSE 0 END) AS yellow_accounts,
                   sum(renews_soon) AS renewing_accounts
            FROM pairs GROUP BY idea_id
        ),
        votes AS (
            SELECT idea_id,
                   sum(CASE WHEN added_by_id IS NULL THEN 1 ELSE 0 END) AS customer_votes,
                   sum(CASE WHEN added_by_id IS NULL THEN 0 ELSE 1 END) AS csm_votes
            FROM {table_name(Vote)} GROUP BY idea_id
        ),
        tickets AS (
            SELECT l.idea_id, count(*) AS ticket_count,
                   count(DISTINCT t.account_id) AS ticket_accounts
            FROM {table_name(IdeaTicket)} l JOIN {table_name(Ticket)} t ON t.id = l.ticket_id
            GROUP BY l.idea_id
        ),
        ideas AS (
            SELECT idea_id FROM votes UNION SELECT idea_id FROM tickets
        )
        SELECT i.idea_id,
               coalesce(v.customer_votes, 0) AS customer_votes,
               coalesce(v.csm_votes, 0) AS csm_votes,
               coalesce(a.vote_accounts, 0) AS vote_accounts,
               coalesce(a.arr_total, 0) AS arr_total,
               coalesce(a.red_accounts, 0) AS red_accounts,
               coalesce(a.yellow_accounts, 0) AS yellow_accounts,
               coalesce(a.renewing_accounts, 0) AS renewing_accounts,
               coalesce(t.ticket_count, 0) AS ticket_count,
               coalesce(t.ticket_accounts, 0) AS ticket_accounts
        FROM ideas i
        LEFT JOIN votes v ON v.idea_id = i.idea_id
        LEFT JOIN accounts a ON a.idea_id = i.idea_id
        LEFT JOIN tickets t ON t.idea_id = i.idea_id
    """


def demand_store(
    *, staged: str, today: date, renewal_window_days: int, now: datetime
) -> tuple[int, int]:
    """Bring every idea's stored demand to the data of now; see the module docstring.

    Needs the evidence stage of this run (same ``today`` and window). Returns (rows
    written — inserted or changed —, rows deleted).
    """
    quote = connection.ops.quote_name
    demand = table_name(IdeaDemand)
    columns = ", ".join(quote(c) for c in ["idea_id", *FIGURES, "computed_at"])
    updates = ", ".join(f"{quote(c)} = EXCLUDED.{quote(c)}" for c in [*FIGURES, "computed_at"])
    differs = " OR ".join(f"{demand}.{quote(c)} <> EXCLUDED.{quote(c)}" for c in FIGURES)
    params = [today, today + timedelta(days=renewal_window_days)]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {FRESH}")
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE TEMP TABLE {FRESH} ON COMMIT DROP AS {_fresh_query(staged)}", params
            )
            cursor.execute(f"ANALYZE {FRESH}")
        else:
            cursor.execute(f"CREATE TEMP TABLE {FRESH} AS {_fresh_query(staged)}", params)
        # "WHERE true": SQLite's parser needs it to tell ON CONFLICT from a join clause.
        cursor.execute(
            f"""
            INSERT INTO {demand} ({columns})
            SELECT idea_id, {", ".join(FIGURES)}, %s FROM {FRESH} WHERE true
            ON CONFLICT (idea_id) DO UPDATE SET {updates} WHERE {differs}
            """,
            [connection.ops.adapt_datetimefield_value(now)],
        )
        written = cursor.rowcount
        cursor.execute(
            f"DELETE FROM {demand} WHERE NOT EXISTS "
            f"(SELECT 1 FROM {FRESH} f WHERE f.idea_id = {demand}.idea_id)"
        )
        deleted = cursor.rowcount
        cursor.execute(f"DROP TABLE IF EXISTS {FRESH}")
    return written, deleted
