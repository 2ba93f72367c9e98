"""Segment messages to csplatform rows: pure functions, no ORM, no HTTP.

The tracking door (``ingest.api.tracking``) authenticates and reads the request, then hands
the decoded JSON here. What comes back is plain data: usage records in the shape of the
usage import, contact and account updates, and a row-level error for every message that
cannot be used. One bad message never spoils the others.

Field mapping (the first present value wins):

============== ====================================================================
csplatform     Segment message
============== ====================================================================
account        ``groupId``, ``context.groupId``, ``traits.groupId``,
               ``properties.groupId``, ``context.traits.groupId``,
               ``context.traits.account_external_id``, ``traits.company.id``
contact e-mail ``traits.email``, ``context.traits.email``, ``properties.email``,
               ``userId`` when it is an e-mail address
user ID        ``userId``: identify and group calls link it to a contact, and track
               calls naming it count for that contact
occurred at    ``timestamp``, ``originalTimestamp``, ``sentAt`` (message, then batch),
               ``receivedAt``, else the time the request arrived
event          ``event``
quantity       ``properties.quantity`` (1 when absent)
dedupe key     ``messageId``
============== ====================================================================
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from core.text import SINGLE_LINE_FORBIDDEN, forbidden_paths, has_forbidden
from ingest.validate import too_long

#: Segment's own limits: 32 KB per message, 500 KB per request.
MAX_MESSAGE_BYTES = 32 * 1024
MAX_REQUEST_BYTES = 500 * 1024

MESSAGE_TYPES = ("track", "identify", "group")
#: Valid Segment calls that carry nothing we store; counted, never an error.
IGNORED_TYPES = ("page", "screen", "alias")

ACCOUNT_PATHS = (
    "groupId",
    "context.groupId",
    "traits.groupId",
    "properties.groupId",
    "context.traits.groupId",
    "context.traits.account_external_id",
    "traits.company.id",
)
EMAIL_PATHS = ("traits.email", "context.traits.email", "properties.email")
TIME_PATHS = ("timestamp", "originalTimestamp", "sentAt")
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

ACCOUNT_TRAITS = {"name": 200, "plan": 60, "segment": 60}  # trait -> max length
CONTACT_NAME_MAX, CONTACT_TITLE_MAX, USER_ID_MAX = 200, 120, 200
CONTACT_TRAITS = ("traits.name", "traits.firstName", "traits.lastName", "traits.title")

#: How deeply a message may nest. Segment's own messages nest a few levels
#: (context.traits.address.city); a deeper one is a mistake or an attack, and walking it
#: (for its size, its text, its numbers) would exhaust Python's recursion first.
MAX_DEPTH = 32
#: The values that name something (a message, an event, a person, an account, a time)
#: and so must be on one line. Every other string of a message may hold tabs and line
#: breaks, but no other control character (``core.text``).
SINGLE_LINE_PATHS = tuple(
    dict.fromkeys(
        (
            "type",
            "event",
            "messageId",
            "userId",
            "anonymousId",
            *ACCOUNT_PATHS,
            *EMAIL_PATHS,
            *TIME_PATHS,
            "receivedAt",
            "properties.quantity",
            *CONTACT_TRAITS,
            *(f"traits.{trait}" for trait in ACCOUNT_TRAITS),
        )
    )
)


class PayloadError(ValueError):
    """The request as a whole cannot be used (malformed JSON, wrong shape)."""


@dataclass(frozen=True)
class MessageError:
    index: int  # position of the message in the batch, from 0
    type: str
    field: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"index": self.index, "type": self.type, "field": self.field, "reason": self.reason}


@dataclass(frozen=True)
class ContactUpdate:
    """An identify call (this person, by user ID or e-mail, is named so and belongs to
    this account), or the link a group call makes between a user ID and its account."""

    index: int
    email: str  # "" when not sent
    account_external_id: str  # "" when the call names no account
    name: str  # "" when not sent
    title: str  # "" when not sent
    user_id: str = ""  # Segment's userId; "" when not sent
    kind: str = "identify"


@dataclass(frozen=True)
class AccountUpdate:
    """A group call: new values for the traits it carries, and only for those."""

    index: int
    account_external_id: str
    traits: dict[str, str]


@dataclass
class Mapped:
    received: int = 0
    ignored: int = 0
    #: Records for the usage import (its documented column names), and where each
    #: record came from in the batch, so that row errors point at the message.
    usage: list[dict[str, Any]] = field(default_factory=list)
    usage_index: list[int] = field(default_factory=list)
    contacts: list[ContactUpdate] = field(default_factory=list)
    accounts: list[AccountUpdate] = field(default_factory=list)
    errors: list[MessageError] = field(default_factory=list)


@dataclass(frozen=True)
class Body:
    """A decoded request body, and whether it is *plain*: no string in it holds a
    control character and no number is NaN or infinite, so no message can be refused
    for either and ``map_messages`` need not walk each one to find out. That walk costs
    more than the rest of mapping a batch, and real sources nearly always send plain
    bodies: one scan of the bytes, and a look at each non-integer number as it is
    parsed, usually replace it."""

    data: Any
    plain: bool


class _NumberWatch:
    """``json.loads`` hooks that note a number that is not finite (``NaN``,
    ``Infinity``, or a literal beyond a double's range) while parsing it as usual."""

    def __init__(self) -> None:
        self.finite = True

    def parse_float(self, text: str) -> float:
        value = float(text)
        if not math.isfinite(value):
            self.finite = False
        return value

    def parse_constant(self, name: str) -> float:
        self.finite = False
        return float(name)


def decode(raw: bytes) -> Body:
    """JSON from request bytes, or PayloadError with a reason a developer can act on."""
    if not raw.strip():
        raise PayloadError(_("The request body is empty."))
    numbers = _NumberWatch()
    try:
        data = json.loads(
            raw, parse_float=numbers.parse_float, parse_constant=numbers.parse_constant
        )
    except UnicodeDecodeError:
        raise PayloadError(_("The request body is not UTF-8 text.")) from None
    except RecursionError:
        raise PayloadError(_("The request body is nested too deeply.")) from None
    except ValueError as exc:  # bad JSON, or an integer of thousands of digits
        raise PayloadError(
            _("The request body is not valid JSON: %(error)s") % {"error": exc}
        ) from None
    # A NUL byte: UTF-16 or UTF-32 (JSON may come in either), which the scan cannot read.
    plain = numbers.finite and b"\x00" not in raw and not _MAY_HOLD_CONTROLS.search(raw)
    return Body(data, plain)


def batch_messages(body: Any) -> list[Any]:
    """The messages of a ``/v1/batch`` body; batch-level context and sentAt apply to each."""
    if not isinstance(body, dict):
        raise PayloadError(_("Expected a JSON object with a “batch” list."))
    batch = body.get("batch")
    if not isinstance(batch, list):
        raise PayloadError(_("Expected a JSON object with a “batch” list."))
    shared_context = body.get("context") if isinstance(body.get("context"), dict) else {}
    sent_at = body.get("sentAt")
    messages = []
    for message in batch:
        if isinstance(message, dict):
            message = dict(message)
            if shared_context:
                own = message.get("context") if isinstance(message.get("context"), dict) else {}
                message["context"] = {**shared_context, **own}
            if sent_at and not message.get("sentAt"):
                message["sentAt"] = sent_at
        messages.append(message)
    return messages


def single_message(body: Any, message_type: str) -> dict[str, Any]:
    """The body of ``/v1/track`` and friends: one message, whose type the path names."""
    if not isinstance(body, dict):
        raise PayloadError(_("Expected a JSON object."))
    return {**body, "type": message_type}


@functools.cache
def _keys(path: str) -> tuple[str, ...]:
    return tuple(path.split("."))


def _value(message: dict[str, Any], path: str) -> str:
    value: Any = message
    for key in _keys(path):
        if not isinstance(value, dict):
            return ""
        value = value.get(key)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return ""
    return str(value).strip()


def _first(message: dict[str, Any], paths: tuple[str, ...]) -> str:
    for path in paths:
        value = _value(message, path)
        if value:
            return value
    return ""


def _email(message: dict[str, Any]) -> str:
    email = _first(message, EMAIL_PATHS)
    if not email:
        user_id = _value(message, "userId")
        email = user_id if EMAIL_RE.fullmatch(user_id) else ""
    return email.lower()


def _occurred_at(message: dict[str, Any], received_at: datetime) -> str:
    return _first(message, (*TIME_PATHS, "receivedAt")) or received_at.isoformat()


def _compact(message: Any) -> str | None:
    """``message`` as compact JSON, ASCII only (so its length is its size in bytes), or
    None when it nests deeper than MAX_DEPTH. A message cannot nest deeper than it has
    brackets, so only one with more than MAX_DEPTH of them is walked to find out."""
    try:
        compact = json.dumps(message, separators=(",", ":"), default=str)
    except RecursionError:
        return None
    if compact.count("{") + compact.count("[") > MAX_DEPTH and _too_deep(message):
        return None
    return compact


def _too_deep(message: Any) -> bool:
    """Whether ``message`` nests deeper than MAX_DEPTH; a loop, not a recursion, so a
    message that nests thousands of levels gets its answer too."""
    stack = [(message, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = list(value.values())
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > MAX_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def shown(text: str) -> str:
    """``text`` as sent (a field path, a type), safe to answer with and to store."""
    return SINGLE_LINE_FORBIDDEN.sub("\ufffd", text)


def _non_finite_paths(data: Any, path: str = "") -> Iterator[str]:
    if isinstance(data, float) and not math.isfinite(data):
        yield path
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _non_finite_paths(value, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _non_finite_paths(value, f"{path}.{index}" if path else str(index))


def _unusable(message: dict[str, Any]) -> tuple[str, str] | None:
    """The first field of ``message`` that nothing may store, and why; None when every
    field may be stored.

    A control character (PostgreSQL refuses a NUL outright, e-mail a line break in a
    name) and a NaN or Infinity, which Python's ``json`` reads but JSON storage refuses.
    Found here, per message, so that one such message never fails its whole batch.
    """
    for path in SINGLE_LINE_PATHS:
        value = _value(message, path)
        if has_forbidden(value, single_line=True):
            if has_forbidden(value, single_line=False):
                return path, _("must not contain control characters")
            return path, _("must be on one line")
    control = next(forbidden_paths(message), None)
    if control is not None:
        return shown(control), _("must not contain control characters")
    infinite = next(_non_finite_paths(message), None)
    if infinite is not None:
        return shown(infinite), _("is not a finite number")
    return None


#: What a UTF-8 JSON body must contain for one of its strings to hold a control
#: character: the escape of one (``\\n``, ``\\u0000``, ``\\u2028``), or a raw DEL, C1
#: control or line separator, which JSON allows unescaped. A match says "look closer",
#: not "refuse": ``\\n`` may be an escaped backslash before an "n".
_MAY_HOLD_CONTROLS = re.compile(
    rb"\\(?:[bfnrt]|u(?:00[01]|007[fF]|00[89]|202[89]))|\x7f|\xc2[\x80-\x9f]|\xe2\x80[\xa8\xa9]"
)


def map_messages(messages: list[Any], *, received_at: datetime, plain: bool = False) -> Mapped:
    """Sort a batch into usage records, contact and account updates, and errors.

    ``plain``: the body was found plain (``Body``), so no message holds a control
    character or a non-finite number and that walk is skipped."""
    mapped = Mapped(received=len(messages))
    for index, message in enumerate(messages):
        if not isinstance(message, dict):
            mapped.errors.append(MessageError(index, "", "message", _("is not a JSON object")))
            continue
        kind = _value(message, "type").lower()
        if kind in IGNORED_TYPES:
            mapped.ignored += 1
            continue
        if kind not in MESSAGE_TYPES:
            mapped.errors.append(
                MessageError(
                    index,
                    shown(kind),
                    "type",
                    _("must be one of: %(types)s") % {"types": ", ".join(MESSAGE_TYPES)},
                )
            )
            continue
        compact = _compact(message)
        if compact is None:
            mapped.errors.append(
                MessageError(
                    index,
                    kind,
                    "message",
                    _("is nested more than %(depth)d levels deep") % {"depth": MAX_DEPTH},
                )
            )
            continue
        if len(compact) > MAX_MESSAGE_BYTES:
            mapped.errors.append(MessageError(index, kind, "message", _("is larger than 32 KB")))
            continue
        unusable = None if plain else _unusable(message)
        if unusable is not None:
            mapped.errors.append(MessageError(index, kind, *unusable))
            continue
        if kind == "track":
            _map_track(mapped, index, message, received_at)
        elif kind == "identify":
            _map_identify(mapped, index, message)
        else:
            _map_group(mapped, index, message)
    return mapped


def _map_track(mapped: Mapped, index: int, message: dict, received_at: datetime) -> None:
    event = _value(message, "event")
    if not event:
        mapped.errors.append(MessageError(index, "track", "event", _("is required")))
        return
    mapped.usage.append(
        {
            "account_external_id": _first(message, ACCOUNT_PATHS),
            "event": event,
            "occurred_at": _occurred_at(message, received_at),
            "quantity": _value(message, "properties.quantity"),
            "contact_email": _email(message),
            "user_id": _value(message, "userId"),
            "message_id": _value(message, "messageId"),
            "properties": message.get("properties")
            if isinstance(message.get("properties"), dict)
            else {},
        }
    )
    mapped.usage_index.append(index)


def _map_identify(mapped: Mapped, index: int, message: dict) -> None:
    email = _email(message)
    user_id = _value(message, "userId")
    if not email and not user_id:
        # Anonymous: a valid Segment call that names no one we could keep traits for.
        mapped.ignored += 1
        return
    if len(user_id) > USER_ID_MAX:
        mapped.errors.append(
            MessageError(
                index,
                "identify",
                "userId",
                too_long(USER_ID_MAX),
            )
        )
        return
    if email and not EMAIL_RE.fullmatch(email):
        mapped.errors.append(
            MessageError(index, "identify", "traits.email", _("is not an e-mail address"))
        )
        return
    name = _value(message, "traits.name") or " ".join(
        part
        for part in (_value(message, "traits.firstName"), _value(message, "traits.lastName"))
        if part
    )
    title = _value(message, "traits.title")
    if len(name) > CONTACT_NAME_MAX or len(title) > CONTACT_TITLE_MAX:
        mapped.errors.append(
            MessageError(index, "identify", "traits", _("name or title is too long"))
        )
        return
    mapped.contacts.append(
        ContactUpdate(
            index=index,
            email=email,
            account_external_id=_first(message, ACCOUNT_PATHS),
            name=name,
            title=title,
            user_id=user_id,
        )
    )


def _map_group(mapped: Mapped, index: int, message: dict) -> None:
    group_id = _value(message, "groupId")
    if not group_id:
        mapped.errors.append(MessageError(index, "group", "groupId", _("is required")))
        return
    traits = {}
    for trait, max_length in ACCOUNT_TRAITS.items():
        value = _value(message, f"traits.{trait}")
        if len(value) > max_length:
            mapped.errors.append(
                MessageError(
                    index,
                    "group",
                    f"traits.{trait}",
                    too_long(max_length),
                )
            )
            return
        if value:
            traits[trait] = value
    mapped.accounts.append(AccountUpdate(index=index, account_external_id=group_id, traits=traits))
    user_id = _value(message, "userId")
    email = _email(message)
    if user_id and len(user_id) <= USER_ID_MAX:
        # Segment's model: a group call with a userId says that user belongs to the group.
        mapped.contacts.append(
            ContactUpdate(
                index=index,
                email=email if EMAIL_RE.fullmatch(email) else "",
                account_external_id=group_id,
                name="",
                title="",
                user_id=user_id,
                kind="group",
            )
        )
