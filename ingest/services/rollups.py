"""Daily rollups, brought up to date from the newly inserted events only.

An ingest puts the events it actually inserted (duplicates excluded) in the temporary
table ``csp_new (account_id, day, event, contact_id, quantity)``. Counts and quantities
add up, so they are added to the existing rollup rows; distinct active contacts do not,
so the new (account, day, event, contact) tuples go into DailyEventContact: those that
were not there before are the new active contacts of their (account, day, event), and
each day that gained such a tuple has its all-events count recounted from that narrow
table (a day that gained none has no new active contact). Raw events are never re-read,
which keeps a load's cost proportional to what it brings, not to the history it lands
on.

Every statement that may meet another load's rows writes them in the order of its
unique key (``ORDER BY``), so concurrent loads on the same days wait for each other in
one order and never deadlock (see ``ingest.services.sinks.UsageSink._lock_accounts``).
"""

from __future__ import annotations

from django.db.backends.utils import CursorWrapper

from accounts.models import DailyActivity, DailyEventContact, DailyUsage

USAGE = DailyUsage._meta.db_table
ACTIVITY = DailyActivity._meta.db_table
CONTACTS = DailyEventContact._meta.db_table


def create_new_events_table(cursor: CursorWrapper, vendor: str) -> None:
    if vendor == "postgresql":
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS csp_new (account_id bigint, day date, "
            "event text, contact_id bigint, quantity double precision) ON COMMIT DROP"
        )
    else:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS csp_new (account_id integer, day text, "
            "event text, contact_id integer, quantity real)"
        )
    cursor.execute("DELETE FROM csp_new")


def _insert_new_contacts(cursor: CursorWrapper, vendor: str, *, analyze: bool) -> None:
    """Add the new (account, day, event, contact) tuples; keep those that were new in
    csp_new_contacts."""
    select = (
        f"INSERT INTO {CONTACTS} (account_id, day, event, contact_id) "
        f"SELECT DISTINCT account_id, day, event, contact_id FROM csp_new "
        f"WHERE contact_id IS NOT NULL ORDER BY account_id, day, event, contact_id "
        f"ON CONFLICT DO NOTHING "
        f"RETURNING account_id, day, event, contact_id"
    )
    if vendor == "postgresql":
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS csp_new_contacts (account_id bigint, day date, "
            "event text, contact_id bigint) ON COMMIT DROP"
        )
        cursor.execute("DELETE FROM csp_new_contacts")
        cursor.execute(f"WITH fresh AS ({select}) INSERT INTO csp_new_contacts SELECT * FROM fresh")
        if analyze:
            cursor.execute("ANALYZE csp_new_contacts")
    else:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS csp_new_contacts (account_id integer, day text, "
            "event text, contact_id integer)"
        )
        cursor.execute("DELETE FROM csp_new_contacts")
        cursor.execute(select)
        cursor.executemany(
            "INSERT INTO csp_new_contacts VALUES (%s, %s, %s, %s)", cursor.fetchall()
        )


def apply_new_events(cursor: CursorWrapper, vendor: str, *, analyze: bool = False) -> set[int]:
    """Fold csp_new into the rollups; return the accounts whose data changed.
    ``analyze``: give the temporary tables statistics first (PostgreSQL, big loads)."""
    if analyze:
        # A temporary table has no statistics until analysed; without them the planner
        # guesses a handful of rows and picks nested loops over a million.
        cursor.execute("ANALYZE csp_new")
    _insert_new_contacts(cursor, vendor, analyze=analyze)
    # The tuples this load added are exactly the new distinct contacts of their
    # (account, day, event), so active_contacts grows by their count: no recount.
    cursor.execute(
        f"INSERT INTO {USAGE} (account_id, day, event, event_count, quantity, active_contacts) "
        f"SELECT n.account_id, n.day, n.event, n.events, n.quantity, coalesce(f.people, 0) "
        f"FROM (SELECT account_id, day, event, count(*) AS events, sum(quantity) AS quantity "
        f"FROM csp_new GROUP BY account_id, day, event) n "
        f"LEFT JOIN (SELECT account_id, day, event, count(*) AS people FROM csp_new_contacts "
        f"GROUP BY account_id, day, event) f "
        f"ON f.account_id = n.account_id AND f.day = n.day AND f.event = n.event "
        f"WHERE true ORDER BY n.account_id, n.day, n.event "
        f"ON CONFLICT (account_id, day, event) DO UPDATE SET "
        f"event_count = {USAGE}.event_count + excluded.event_count, "
        f"quantity = {USAGE}.quantity + excluded.quantity, "
        f"active_contacts = {USAGE}.active_contacts + excluded.active_contacts"
    )
    cursor.execute(
        f"INSERT INTO {ACTIVITY} (account_id, day, event_count, active_contacts) "
        f"SELECT account_id, day, count(*), 0 FROM csp_new WHERE true "
        f"GROUP BY account_id, day ORDER BY account_id, day "
        f"ON CONFLICT (account_id, day) DO UPDATE SET "
        f"event_count = {ACTIVITY}.event_count + excluded.event_count"
    )
    # The rows this updates are the ones the statement above locked (each load's own
    # days), so it waits for no one; and it runs after that lock was granted, so its
    # recount sees every contact of a load on the same day that committed before.
    cursor.execute(
        f"UPDATE {ACTIVITY} SET active_contacts = recount.n FROM ("
        f"SELECT c.account_id, c.day, count(DISTINCT c.contact_id) AS n FROM {CONTACTS} c "
        f"JOIN (SELECT DISTINCT account_id, day FROM csp_new_contacts) t "
        f"ON c.account_id = t.account_id AND c.day = t.day "
        f"GROUP BY c.account_id, c.day) recount "
        f"WHERE {ACTIVITY}.account_id = recount.account_id AND {ACTIVITY}.day = recount.day"
    )
    cursor.execute("SELECT DISTINCT account_id FROM csp_new")
    return {row[0] for row in cursor.fetchall()}
