"""Daily rollups, refreshed for the touched (account, day) pairs only.

The pairs sit in the temporary table ``csp_touched (account_id, day)``; both rollups are
rebuilt from the raw events of those pairs in SQL, so a refresh is exact (a re-import,
a late event) and costs nothing for days the ingest did not touch.
"""

from __future__ import annotations

from accounts.models import DailyActivity, DailyUsage, UsageEvent

EVENTS = UsageEvent._meta.db_table
USAGE = DailyUsage._meta.db_table
ACTIVITY = DailyActivity._meta.db_table


def create_touched_table(cursor, vendor: str) -> None:
    if vendor == "postgresql":
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS csp_touched "
            "(account_id bigint, day date, PRIMARY KEY (account_id, day)) ON COMMIT DROP"
        )
    else:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS csp_touched "
            "(account_id integer, day text, PRIMARY KEY (account_id, day))"
        )
    cursor.execute("DELETE FROM csp_touched")


def _day_window(vendor: str) -> str:
    """SQL matching events of csp_touched t's UTC day, using the (account, time) index."""
    if vendor == "postgresql":
        return (
            "e.occurred_at >= (t.day::timestamp AT TIME ZONE 'UTC') "
            "AND e.occurred_at < ((t.day + 1)::timestamp AT TIME ZONE 'UTC')"
        )
    # Django stores SQLite datetimes as 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC.
    return "e.occurred_at >= t.day AND e.occurred_at < date(t.day, '+1 day')"


def refresh_rollups(cursor, vendor: str) -> None:
    window = _day_window(vendor)
    for table in (USAGE, ACTIVITY):
        cursor.execute(
            f"DELETE FROM {table} WHERE EXISTS (SELECT 1 FROM csp_touched t "
            f"WHERE t.account_id = {table}.account_id AND t.day = {table}.day)"
        )
    cursor.execute(
        f"INSERT INTO {USAGE} (account_id, day, event, event_count, quantity, active_contacts) "
        f"SELECT t.account_id, t.day, e.event, count(*), sum(e.quantity), "
        f"count(DISTINCT e.contact_id) FROM csp_touched t JOIN {EVENTS} e "
        f"ON e.account_id = t.account_id AND {window} GROUP BY t.account_id, t.day, e.event"
    )
    cursor.execute(
        f"INSERT INTO {ACTIVITY} (account_id, day, event_count, active_contacts) "
        f"SELECT t.account_id, t.day, count(*), count(DISTINCT e.contact_id) "
        f"FROM csp_touched t JOIN {EVENTS} e ON e.account_id = t.account_id AND {window} "
        f"GROUP BY t.account_id, t.day"
    )
