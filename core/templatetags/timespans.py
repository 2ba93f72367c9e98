"""``{% load timespans %}``: ``{{ moment|since }}`` and ``{{ day|until }}``, spans of time
in the reader's language (see core.timespans)."""

from __future__ import annotations

from django import template

from core import timespans

register = template.Library()

register.filter("since", timespans.since)
register.filter("until", timespans.until)
