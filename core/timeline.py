"""The account timeline: a registry of sources, and the merge that pages them.

Notes live in ``accounts``, alerts in ``notifications``, band changes in ``healthscores``
and votes in ``feedback``; the timeline shows them all, newest first, without ``core``
(or ``accounts``) importing any of them. Each app registers a :class:`TimelineSource`
from its ``AppConfig.ready``: a selector that returns the newest entries of one kind for
one account, older than a cursor. :func:`account_timeline` asks every chosen source
for one page's worth, merges the answers and keeps one page, so a page costs one query
per source whatever the history holds (the pages assert it).

Paging is by cursor (keyset), not by offset: the entries are ordered by
``(at desc, kind, id desc)`` and the cursor is the last entry shown, so each source
reads only ``limit + 1`` rows from an index on its time column, on page 1 or page 500,
and an entry written while someone pages cannot shift the next page.
"""

from __future__ import annotations

import base64
import binascii
import heapq
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _

Label = str | Promise

#: Entries on one page, and the most a caller may ask for.
PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class Cursor:
    """Where a page ends: the last entry shown. The next page starts after it."""

    at: datetime
    kind: str
    id: int

    def encode(self) -> str:
        raw = f"{self.at.isoformat()}|{self.kind}|{self.id}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> Cursor:
        """The cursor a page link carries; a ValidationError for anything else."""
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
            at, kind, pk = raw.split("|")
            moment = datetime.fromisoformat(at)
            if moment.tzinfo is None:
                raise ValueError("naive")
            return cls(at=moment, kind=kind, id=int(pk))
        except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
            raise ValidationError(
                _("This page link is not valid. Open the timeline from its first page."),
                code="invalid_cursor",
            ) from exc


@dataclass(frozen=True)
class Window:
    """What a source is asked for: entries of ``since <= at``, after ``cursor`` in the
    timeline's order, at most ``limit`` of them."""

    limit: int
    since: datetime | None = None
    cursor: Cursor | None = None

    def apply(self, rows: QuerySet[Any], *, kind: str, at: str, pk: str = "pk") -> QuerySet[Any]:
        """``rows`` narrowed to this window and ordered newest first.

        Sources call this on their queryset so that every source pages the same way:
        ``at`` names a datetime field or annotation, ``pk`` the entry's id. Entries at
        the cursor's very instant are split by kind, then by id, as the merge orders them.
        """
        if self.since is not None:
            rows = rows.filter(**{f"{at}__gte": self.since})
        if self.cursor is not None:
            older = Q(**{f"{at}__lt": self.cursor.at})
            if kind > self.cursor.kind:
                older |= Q(**{at: self.cursor.at})
            elif kind == self.cursor.kind:
                older |= Q(**{at: self.cursor.at, f"{pk}__lt": self.cursor.id})
            rows = rows.filter(older)
        return rows.order_by(f"-{at}", f"-{pk}")[: self.limit]


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the timeline, already in the reader's words."""

    at: datetime
    kind: str
    #: The row's id in its source: with ``at`` and ``kind``, the entry's place in order.
    id: int
    title: str
    detail: str = ""
    #: Who did it, if a person did.
    actor: str = ""
    #: Where to read more.
    url: str = ""
    #: A badge tone for the template: "red", "yellow", "green", "grey" or "".
    tone: str = ""
    #: True when ``at`` is a day (a band change, a milestone) rather than an instant.
    all_day: bool = False

    @property
    def sort_key(self) -> tuple[float, str, int]:
        return (-self.at.timestamp(), self.kind, -self.id)


@dataclass(frozen=True)
class TimelineSource:
    """One kind of entry, contributed by the app that owns its rows."""

    kind: str
    #: The kind's name in the filter ("Notes", "Alerts").
    label: Label
    #: (account, viewer, window) -> at most ``window.limit`` entries, newest first.
    #: One query (or a fixed few), whatever the account's history holds.
    entries: Callable[[Any, Any, Window], Iterable[TimelineEntry]]
    order: int = 100


@dataclass(frozen=True)
class TimelinePage:
    entries: list[TimelineEntry]
    #: The link token of the next (older) page; empty on the last page.
    next_cursor: str = ""
    kinds: list[str] = field(default_factory=list)


_sources: dict[str, TimelineSource] = {}


def register_timeline_source(source: TimelineSource) -> None:
    _sources[source.kind] = source


def timeline_sources() -> list[TimelineSource]:
    return sorted(_sources.values(), key=lambda s: (s.order, s.kind))


def account_timeline(
    *,
    account: Any,
    viewer: Any,
    kinds: Sequence[str] = (),
    cursor: str = "",
    since: datetime | None = None,
    limit: int = PAGE_SIZE,
) -> TimelinePage:
    """One page of an account's timeline, newest first.

    The caller has already checked that ``viewer`` may see ``account``. ``kinds`` keeps
    those kinds only (unknown kinds are an error, so a typo is not an empty page);
    ``cursor`` is the previous page's ``next_cursor``.
    """
    chosen = timeline_sources()
    if kinds:
        unknown = sorted(set(kinds) - {s.kind for s in chosen})
        if unknown:
            raise ValidationError(
                _("Unknown kind of entry: %(kinds)s.") % {"kinds": ", ".join(unknown)},
                code="invalid_kind",
            )
        chosen = [s for s in chosen if s.kind in kinds]
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise ValidationError(
            _("Ask for between 1 and %(max)d entries.") % {"max": MAX_PAGE_SIZE},
            code="invalid_limit",
        )
    # One more than a page tells whether an older page exists.
    window = Window(limit=limit + 1, since=since, cursor=Cursor.decode(cursor) if cursor else None)
    answers = [sorted(source.entries(account, viewer, window), key=_order) for source in chosen]
    merged = list(heapq.merge(*answers, key=_order))
    page = merged[:limit]
    next_cursor = ""
    if len(merged) > limit:
        last = page[-1]
        next_cursor = Cursor(at=last.at, kind=last.kind, id=last.id).encode()
    return TimelinePage(entries=page, next_cursor=next_cursor, kinds=[s.kind for s in chosen])


def _order(entry: TimelineEntry) -> tuple[float, str, int]:
    return entry.sort_key
