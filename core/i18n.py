"""Text translated when it is read, not when it is written.

A notification is written once, by whoever caused it, and read later by someone who may
read another language. So its text is stored as the English source (the msgid), whether
it has a plural, and its parameters; ``render`` translates it into the language active
when it is shown: the reader's page, or the recipient's e-mail under
``translation.override``. Parameters may be deferred texts themselves (a status label
inside a title). ``deferred`` and ``deferred_plural`` are gettext keywords of our
``makemessages`` (core/management/commands/makemessages.py), so their msgids are
extracted like any ``gettext`` call.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, TypeAlias

from django.utils import translation
from django.utils.formats import date_format
from django.utils.functional import Promise, lazy

from core import formats

#: What a deferred text stores: JSON, so it travels through Celery and a JSONField.
DeferredText: TypeAlias = dict[str, Any]


def deferred(msgid: str, /, **params: Any) -> DeferredText:
    """``gettext(msgid) % params``, translated when rendered."""
    return {"msgid": msgid, "params": _plain(params)}


def deferred_plural(singular: str, plural: str, number: str, /, **params: Any) -> DeferredText:
    """``ngettext(singular, plural, params[number]) % params``, translated when rendered:
    ``number`` names the parameter that chooses the plural form."""
    return {"msgid": singular, "plural": plural, "number": number, "params": _plain(params)}


def deferred_join(separator: str, *parts: DeferredText | str) -> DeferredText | str:
    """The non-empty ``parts`` joined by ``separator``, each translated when rendered."""
    kept = [part for part in parts if part]
    if len(kept) == 1:
        return kept[0]
    return {"join": separator, "parts": kept}


def deferred_label(label: str | Promise) -> DeferredText:
    """A lazily translated label (a choice's), deferred by its English source and, for a
    ``pgettext_lazy`` label, its context; the label itself is extracted where it is
    declared."""
    context = label_context(label)
    text: DeferredText = {"msgid": source_text(label), "params": {}}
    if context:
        text["context"] = context
    return text


def label_context(label: str | Promise) -> str | None:
    """The context of a ``pgettext_lazy`` label ("idea status" of "Planned"), so the
    reader's catalogue picks the same entry; None for any other label.

    A lazy proxy keeps the arguments it was made with: ``(context, message)`` for
    ``pgettext_lazy`` against ``(message,)`` for ``gettext_lazy``.
    """
    args: tuple[Any, ...] = getattr(label, "_args", ()) if isinstance(label, Promise) else ()
    if len(args) == 2 and all(isinstance(arg, str) for arg in args):
        return str(args[0])
    return None


def _interpolate(message: str | Promise, params: Mapping[str, Any]) -> str:
    return str(message) % params


_interpolate_lazy = lazy(_interpolate, str)


def interpolate_lazy(message: str | Promise, /, **params: Any) -> str:
    """``message % params`` for a ``gettext_lazy`` message, formatted only when shown.

    ``gettext_lazy("Within %(days)d days") % {...}`` in a class body or a module runs
    once, at import, and stays in whatever language was active then (English) for
    every reader; a form's choices built this way kept their English labels.
    """
    return _interpolate_lazy(message, params)


def _day(value: str) -> str:
    return date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")


#: How a deferred value is written out, by kind: with the reader's separators, currency
#: and date format, not the writer's.
_FORMATTERS: dict[str, Callable[..., str]] = {
    "money": formats.money,
    "number": formats.number,
    "score": formats.score,
    "percent": formats.percent,
    "day": _day,
}


def deferred_value(kind: str, value: Any, /, *args: Any) -> DeferredText:
    """A number, amount or day written out for the reader's language when rendered:
    ``kind`` is one of money, number, score, percent (each ``core.formats``' function of
    that name, with ``args`` such as decimals) or day (an ISO date)."""
    if kind not in _FORMATTERS:
        raise ValueError(f"unknown deferred value kind {kind!r}")
    if isinstance(value, Decimal):
        value = float(value)
    elif isinstance(value, datetime.date):
        value = value.isoformat()
    elif isinstance(value, float) and value != value:  # NaN: JSON has no such number
        value = None
    return {"format": kind, "value": value, "args": list(args)}


def source_text(label: str | Promise) -> str:
    """The English source of a lazily translated label."""
    with translation.override(None):
        return str(label)


def render(text: DeferredText | str) -> str:
    """The text in the active language; a plain string is returned as it is."""
    if isinstance(text, str):
        return text
    if "format" in text:
        if text["value"] is None and text["format"] == "day":
            return "—"
        return _FORMATTERS[text["format"]](text["value"], *text.get("args", ()))
    if "join" in text:
        separator: str = text["join"]
        return separator.join(render(part) for part in text["parts"])
    params = {
        key: render(value) if isinstance(value, dict) else value
        for key, value in text.get("params", {}).items()
    }
    if text.get("plural"):
        message = translation.ngettext(text["msgid"], text["plural"], int(params[text["number"]]))
    elif text.get("context"):
        message = translation.pgettext(text["context"], text["msgid"])
    else:
        message = translation.gettext(text["msgid"])
    return str(message % params) if params else message


def _plain(params: Mapping[str, Any]) -> dict[str, Any]:
    # Lazy labels are stored as their source, so the reader's language translates them.
    return {
        key: deferred_label(value) if isinstance(value, Promise) else value
        for key, value in params.items()
    }
