"""Daily rollups, brought up to date from the newly inserted events only.

An ingest puts the events it actually inserted (duplicates excluded) in the temporary
table ``csp_new (account_id, day, event, contact_id, quantity)``. Counts and quantities
add up, so they are added to the existing rollup rows; distinct active contacts do not,
so the new (account, day, event, contact) tuples go into DailyEventContact and the
touched days are recounted from that narrow table. Raw events are never re-read, which
keeps a load's cost proportional to what it brings, not to the history it lands on.
"""

from __future__ import annotations

from accounts.models import DailyActivity, DailyEventContact, DailyUsage

USAGE = DailyUsage._meta.db_table
ACTIVITY = DailyActivity._meta.db_table
CONTACTS = DailyEventContact._meta.db_table


def create_new_events_table(cursor, vendor: str) -> None:
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


def apply_new_events(cursor, vendor: str) -> set[int]:
    """Fold csp_new into the rollups; return the accounts whose data changed."""
    if vendor == "postgresql":
        # A temporary table has no statistics until analysed; without them the planner
        # guesses a handful of rows and picks nested loops over a million.
        cursor.execute("ANALYZE csp_new")
    cursor.execute(
        f"INSERT INTO {CONTACTS} (account_id, day, event, contact_id) "
        f"SELECT DISTINCT account_id, day, event, contact_id FROM csp_new "
        f"WHERE contact_id IS NOT NULL ON CONFLICT DO NOTHING"
    )
    cursor.execute(
        f"INSERT INTO {USAGE} (account_id, day, event, event_count, quantity, active_contacts) "
        f"SELECT account_id, day, event, count(*), sum(quantity), 0 FROM csp_new WHERE true "
        f"GROUP BY account_id, day, event ON CONFLICT (account_id, day, event) DO UPDATE SET "
        f"event_count = {USAGE}.event_count + excluded.event_count, "
        f"quantity = {USAGE}.quantity + excluded.quantity"
    )
    cursor.execute(
        f"UPDATE {USAGE} SET active_contacts = recount.n FROM ("
        f"SELECT c.account_id, c.day, c.event, count(*) AS n FROM {CONTACTS} c "
        f"JOIN (SELECT DISTINCT account_id, day, event FROM csp_new) t "
        f"ON c.account_id = t.account_id AND c.day = t.day AND c.event = t.event "
        f"GROUP BY c.account_id, c.day, c.event) recount "
        f"WHERE {USAGE}.account_id = recount.account_id AND {USAGE}.day = recount.day "
        f"AND {USAGE}.event = recount.event"
    )
    cursor.execute(
        f"INSERT INTO {ACTIVITY} (account_id, day, event_count, active_contacts) "
        f"SELECT account_id, day, count(*), 0 FROM csp_new WHERE true "
        f"GROUP BY account_id, day ON CONFLICT (account_id, day) DO UPDATE SET "
        f"event_count = {ACTIVITY}.event_count + excluded.event_count"
    )
    cursor.execute(
        f"UPDATE {ACTIVITY} SET active_contacts = recount.n FROM ("
        f"SELECT c.account_id, c.day, count(DISTINCT c.contact_id) AS n FROM {CONTACTS} c "
        f"JOIN (SELECT DISTINCT account_id, day FROM csp_new) t "
        f"ON c.account_id = t.account_id AND c.day = t.day "
        f"GROUP BY c.account_id, c.day) recount "
        f"WHERE {ACTIVITY}.account_id = recount.account_id AND {ACTIVITY}.day = recount.day"
    )
    cursor.execute("SELECT DISTINCT account_id FROM csp_new")
    return {row[0] for row in cursor.fetchall()}
