"""Spans of time in words ("3 days", "5 months, 2 weeks") in every language we ship.

Django's ``timesince`` and ``naturaltime`` have no Greek for their units ("πριν από 3
days"), so spans are written with unit names from our own catalogue, handed to Django's
algorithm through its ``time_strings`` argument. Templates use the ``since`` and
``until`` filters (``{% load timespans %}``) inside a whole translated sentence
("hace %(time)s", "πριν από %(time)s").
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timesince
from django.utils.translation import npgettext_lazy

#: Lazy, so each span is written in the language active when it is shown.
TIME_STRINGS: dict[str, Any] = {
    "year": npgettext_lazy("time span", "%(num)d year", "%(num)d years", "num"),
    "month": npgettext_lazy("time span", "%(num)d month", "%(num)d months", "num"),
    "week": npgettext_lazy("time span", "%(num)d week", "%(num)d weeks", "num"),
    "day": npgettext_lazy("time span", "%(num)d day", "%(num)d days", "num"),
    "hour": npgettext_lazy("time span", "%(num)d hour", "%(num)d hours", "num"),
    "minute": npgettext_lazy("time span", "%(num)d minute", "%(num)d minutes", "num"),
}


def since(value: date | datetime | None, now: date | datetime | None = None) -> str:
    """The time from ``value`` to now (or ``now``); "" for no value, as Django's filter."""
    if not value:
        return ""
    try:
        return timesince.timesince(value, now, time_strings=TIME_STRINGS)
    except (ValueError, TypeError):
        return ""


def until(value: date | datetime | None, now: date | datetime | None = None) -> str:
    """The time from now (or ``now``) to ``value``; "" for no value."""
    if not value:
        return ""
    try:
        return timesince.timeuntil(value, now, time_strings=TIME_STRINGS)
    except (ValueError, TypeError):
        return ""
