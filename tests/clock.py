"""The clock every test runs on, and the dates the any-day check runs under.

Every test starts at the same pinned instant (``tests/conftest.py`` travels there before
collection, so module-level ``TODAY`` constants agree, and again before each test), and
the clock then ticks on from it. So a test reads the same day whatever the calendar
says, and a demo or a report that only works on some days fails on the day it is
written instead of months later.

``CSPLATFORM_TEST_NOW`` moves the whole session to another instant (an ISO date or
date-time; a bare date means 10:00 UTC). ``make any-day`` runs the date-sensitive tests
(marker ``any_day``) once under each of :data:`ANY_DAY_DATES`.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time

#: The instant of an ordinary run: a Monday in mid-June.
DEFAULT_NOW = "2026-06-15T10:00:00+00:00"
#: A year's spread of the days that broke date code elsewhere: the first days of a
#: month and of a year (history reaching into the previous year), a quarter's and a
#: month's last day (a Saturday), and 29 February.
ANY_DAY_DATES = ("2026-01-02", "2026-03-31", "2026-06-15", "2026-10-31", "2028-02-29")
ENV = "CSPLATFORM_TEST_NOW"


def parse_instant(text: str) -> datetime:
    """An aware UTC datetime from an ISO date (10:00 UTC that day) or date-time."""
    text = text.strip()
    if len(text) == 10:
        return datetime.combine(date.fromisoformat(text), time(10), tzinfo=UTC)
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def pinned_now() -> datetime:
    """The instant this session's tests start at."""
    return parse_instant(os.environ.get(ENV) or DEFAULT_NOW)
