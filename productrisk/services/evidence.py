"""Moving product-risk data between the database and pandas, fast.

The recompute reads up to a million (idea, account) pairs and may write as many evidence
rows, so nothing here goes through model instances:

* reads run one SQL query and, on PostgreSQL, stream its result with
  ``COPY (query) TO STDOUT (FORMAT CSV)`` into ``pandas.read_csv`` (4x faster than
  fetching tuples, see ENVIRONMENT.md); SQLite, the embedded mode, uses a plain cursor;
* the evidence itself is staged in a temporary table on the server and written from
  there with three set-based statements (delete, update, insert); the flags' numbers
  go through COPY into a temporary table and one ``UPDATE … FROM`` on PostgreSQL,
  ``executemany`` on SQLite.

The rule itself lives in :mod:`productrisk.rules`; the decisions in
:mod:`productrisk.services.flags`.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from django.db import connection

from accounts.models import Account, Ticket
from core.sql import as_bools, is_postgres, read_frame, table_name
from feedback.models import Idea, IdeaStatus, IdeaTicket, Vote
from healthscores.models import AccountHealth
from productrisk.models import ProductRisk, ProductRiskAccount
from productrisk.rules import EVIDENCE_COLUMNS
from ttfv.models import Onboarding

#: Ideas whose flags the recompute keeps current. Shipped ideas keep the evidence they
#: had when they shipped (the impact charts compare exactly those accounts); merged and
#: declined ideas are no longer a gap on the board.
CLOSED_STATUSES = (IdeaStatus.SHIPPED, IdeaStatus.DECLINED, IdeaStatus.MERGED)

_BOOL_COLUMNS = ("by_vote", "by_ticket", "renews_soon", "late_onboarding")


def _text(values: pd.Series) -> pd.Series:
    """Text with '' for missing (a column of only empty bands reads as all-NaN floats)."""
    return values.astype(object).where(values.notna(), "").astype(str)


#: Memory per sort or hash of the recompute's queries (PostgreSQL, this transaction).
WORK_MEM = "128MB"
#: Inserting at least this many evidence rows rebuilds the account index afterwards.
BULK_INSERT_ROWS = 100_000
ACCOUNT_INDEX = "risk_account_idx"
#: The temporary table one recompute stages its evidence in (dropped at commit on
#: PostgreSQL, at the next run's start on SQLite).
STAGE = "risk_evidence_stage"


def evidence_stage(*, today: date, renewal_window_days: int) -> pd.DataFrame:
    """Stage the distinct (idea, account) pairs behind every idea still open to demand in
    a temporary table, and return them as a DataFrame.

    A pair comes from a vote (customer's own or CSM-added: the vote carries the contact's
    account) or a ticket linked to the idea; one account is one row however many
    contacts, votes or tickets it has. Each row carries the account's ARR, its health band
    ("" when not scored), whether it renews between ``today`` and ``today + window``, and
    whether its onboarding is late. Columns: :data:`productrisk.rules.EVIDENCE_COLUMNS`.

    Staged on the server because the evidence rows are then written from it by
    :func:`evidence_store` with set-based SQL: a million rows never travel back.
    """
    closed = ", ".join(f"'{status.value}'" for status in CLOSED_STATUSES)
    # One aggregate over votes and linked tickets together, closed ideas filtered
    # before grouping. Votes give (idea, account) from vote_idea_account_idx alone.
    query = f"""
        WITH evidence AS (
            SELECT p.idea_id, p.account_id, max(p.by_vote) AS by_vote,
                   max(p.by_ticket) AS by_ticket
            FROM (
                SELECT v.idea_id, v.account_id, 1 AS by_vote, 0 AS by_ticket
                FROM {table_name(Vote)} v
                UNION ALL
                SELECT l.idea_id, t.account_id, 0, 1
                FROM {table_name(IdeaTicket)} l JOIN {table_name(Ticket)} t ON t.id = l.ticket_id
            ) p
            JOIN {table_name(Idea)} i ON i.id = p.idea_id AND i.status NOT IN ({closed})
            GROUP BY p.idea_id, p.account_id
        )
        SELECT e.idea_id, e.account_id, e.by_vote, e.by_ticket, a.arr,
               coalesce(h.effective_band, '') AS band, h.day AS band_on,
               CASE WHEN a.renews_on >= %s AND a.renews_on <= %s THEN 1 ELSE 0 END
                   AS renews_soon,
               CASE WHEN o.status = 'late' THEN 1 ELSE 0 END AS late_onboarding
        FROM evidence e
        JOIN {table_name(Account)} a ON a.id = e.account_id
        LEFT JOIN {table_name(AccountHealth)} h ON h.account_id = e.account_id
        LEFT JOIN {table_name(Onboarding)} o ON o.account_id = e.account_id
    """
    params = [today, today + timedelta(days=renewal_window_days)]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        if is_postgres():
            # The aggregate over a million votes and the sorts of the evidence writes
            # spill to disk at the default 4 MB (a 45 MB external merge was measured);
            # for this transaction only, let them work in memory.
            cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
            cursor.execute(f"CREATE TEMP TABLE {STAGE} ON COMMIT DROP AS {query}", params)
            # Temporary tables are never auto-analysed: without statistics the planner
            # would guess a thousand rows and pick nested loops for the writes below.
            cursor.execute(f"ANALYZE {STAGE}")
        else:
            cursor.execute(f"CREATE TEMP TABLE {STAGE} AS {query}", params)
    frame = read_frame(f"SELECT {', '.join(EVIDENCE_COLUMNS)} FROM {STAGE}", [], EVIDENCE_COLUMNS)
    frame = as_bools(frame, _BOOL_COLUMNS)
    frame["idea_id"] = frame["idea_id"].astype("int64")
    frame["account_id"] = frame["account_id"].astype("int64")
    frame["arr"] = pd.to_numeric(frame["arr"]).fillna(0).astype("float64")
    frame["band"] = _text(frame["band"])
    return frame


def evidence_store(*, staged_rows: int) -> tuple[int, int, int, set[int]]:
    """Bring the stored evidence of every flag of a live idea to the staged evidence:
    delete accounts no longer behind it, update accounts whose facts changed, insert
    accounts new behind it (in that order, so the writes never re-check new rows).
    Resolved flags and flags of declined or merged ideas keep theirs. Returns
    (inserted, updated, deleted, flags that gained an account).

    Run after the flags exist (:func:`evidence_stage` first, ``staged_rows`` its
    length). Set-based: a few statements whatever the number of rows.
    """
    closed = ", ".join(f"'{status.value}'" for status in CLOSED_STATUSES)
    evidence, risk, idea = table_name(ProductRiskAccount), table_name(ProductRisk), table_name(Idea)
    differs = " OR ".join(
        [
            f"p.{column} <> (e.{column} = 1)"
            for column in ("by_vote", "by_ticket", "renews_soon", "late_onboarding")
        ]
        + ["p.arr <> e.arr", "p.band <> e.band"]
    )
    insert = f"""
        INSERT INTO {evidence} (risk_id, account_id, by_vote, by_ticket, arr, band,
            band_on, renews_soon, late_onboarding)
        SELECT r.id, e.account_id, e.by_vote = 1, e.by_ticket = 1, e.arr, e.band,
               e.band_on, e.renews_soon = 1, e.late_onboarding = 1
        FROM {STAGE} e JOIN {risk} r ON r.idea_id = e.idea_id
        WHERE NOT EXISTS (
            SELECT 1 FROM {evidence} p WHERE p.risk_id = r.id AND p.account_id = e.account_id
        )
        ORDER BY r.id, e.account_id
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            DELETE FROM {evidence} WHERE id IN (
                SELECT p.id FROM {evidence} p
                JOIN {risk} r ON r.id = p.risk_id
                JOIN {idea} i ON i.id = r.idea_id AND i.status NOT IN ({closed})
                LEFT JOIN {STAGE} e ON e.idea_id = r.idea_id AND e.account_id = p.account_id
                WHERE e.idea_id IS NULL
            )
            """
        )
        deleted = cursor.rowcount
        cursor.execute(
            f"""
            UPDATE {evidence} AS p
            SET by_vote = e.by_vote = 1, by_ticket = e.by_ticket = 1, arr = e.arr,
                band = e.band, band_on = e.band_on, renews_soon = e.renews_soon = 1,
                late_onboarding = e.late_onboarding = 1
            FROM {STAGE} e, {risk} r
            WHERE p.risk_id = r.id AND r.idea_id = e.idea_id AND p.account_id = e.account_id
              AND ({differs})
            """
        )
        updated = cursor.rowcount
        if not is_postgres():
            cursor.execute(
                f"SELECT DISTINCT r.id FROM {STAGE} e JOIN {risk} r ON r.idea_id = e.idea_id "
                f"WHERE NOT EXISTS (SELECT 1 FROM {evidence} p "
                f"WHERE p.risk_id = r.id AND p.account_id = e.account_id)"
            )
            gained = {int(pk) for (pk,) in cursor.fetchall()}
            cursor.execute(insert)
            return cursor.rowcount, updated, deleted, gained
        cursor.execute(f"SELECT count(*) FROM {evidence}")
        (stored,) = cursor.fetchone()
        rebuild = staged_rows - stored >= BULK_INSERT_ROWS
        if rebuild:
            # Rows arrive in (risk, account) order, so the primary key and the
            # (risk, account) index grow at their right edge, but the (account, risk)
            # index takes them at random: a million such inserts cost ~25 s where
            # building the index afterwards takes ~1 s. Only for bulk loads (a first
            # run, a rule change), as dropping it locks the table until commit.
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = %s AND tablename = %s "
                "AND schemaname = current_schema()",
                [ACCOUNT_INDEX, ProductRiskAccount._meta.db_table],
            )
            found = cursor.fetchone()
            rebuild = found is not None
        if rebuild:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(ACCOUNT_INDEX)}")
        cursor.execute(
            f"WITH added AS ({insert} RETURNING risk_id) SELECT DISTINCT risk_id FROM added"
        )
        gained = {int(pk) for (pk,) in cursor.fetchall()}
        cursor.execute(f"SELECT count(*) FROM {evidence}")
        (after,) = cursor.fetchone()
        if rebuild:
            cursor.execute(found[0])
    return after - stored, updated, deleted, gained


def evidence_unstage() -> None:
    """Drop the stage now (PostgreSQL would at commit; SQLite keeps it otherwise)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")


#: Columns of :func:`flags_frame`.
FLAG_COLUMNS = [
    "risk_id",
    "idea_id",
    "idea_status",
    "status",
    "severity",
    "notified_severity",
    "generation",
    "dismissed_accounts",
    "dismissed_arr",
    "accounts_affected",
    "arr_affected",
    "arr_at_risk",
    "red_accounts",
    "yellow_accounts",
    "renewing_accounts",
    "late_onboardings",
    "score",
]


def flags_frame() -> pd.DataFrame:
    """Every flag with its idea's status and the numbers it holds now (one per idea)."""
    sql = f"""
        SELECT r.id, r.idea_id, i.status, r.status, r.severity, r.notified_severity,
               r.generation, r.dismissed_accounts, r.dismissed_arr, r.accounts_affected,
               r.arr_affected, r.arr_at_risk, r.red_accounts, r.yellow_accounts,
               r.renewing_accounts, r.late_onboardings, r.score
        FROM {table_name(ProductRisk)} r JOIN {table_name(Idea)} i ON i.id = r.idea_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql)
        frame = pd.DataFrame.from_records(cursor.fetchall(), columns=FLAG_COLUMNS)
    for column in ("dismissed_arr", "arr_affected", "arr_at_risk", "score"):
        frame[column] = pd.to_numeric(frame[column].astype("float64"))
    for column in ("notified_severity", "severity", "status", "idea_status"):
        frame[column] = frame[column].fillna("").astype(str)
    return frame


# --- Writes -------------------------------------------------------------------------
