"""``{% load health_days %}``: ``{{ health.day|health_day }}``, the day a band or score is
from, so that two pages showing one account's health can be seen to agree (or to be
from different days).

Health is scored per UTC day (``core.jobs.today_utc``), so "today" is that day: a
snapshot of today says "today", any other its date in the reader's format.
"""

from __future__ import annotations

from datetime import date

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import pgettext

from core.jobs import today_utc

register = template.Library()


@register.filter
def health_day(day: date | None) -> SafeString | str:
    """``<time>`` of the day: "today", or the date in the reader's format."""
    if not day:
        return ""
    text = pgettext("health of the day", "today") if day == today_utc() else date_format(day)
    return format_html('<time datetime="{}">{}</time>', day.isoformat(), text)


@register.filter
def past_health_day(day: date | None) -> SafeString | str:
    """The day as ``health_day`` does, or "" for today's: a list of accounts says the
    day only of health that is not today's (an account the last run did not reach)."""
    if not day or day == today_utc():
        return ""
    return health_day(day)
