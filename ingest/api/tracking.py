"""The Segment-compatible tracking door: ``/v1/batch``, ``/v1/track``, ``/v1/identify``,
``/v1/group``.

Any Segment library or source can point its host here. A request is authenticated by a
WriteKey sent as the HTTP Basic user name (password empty), as the libraries do, or as
``writeKey`` in the body, as Segment's HTTP API also allows. Mapping messages to rows is
pure and lives in ``ingest.tracking_mapping``; this module holds the HTTP handling and
the writes: usage through the one ingestion pipeline, contacts and account traits here.
"""

from __future__ import annotations

import base64
import binascii
import logging
import zlib
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from accounts.models import Account, Contact, Source
from accounts.signals import announce_account_data_changed, one_announcement
from core.access import public
from core.text import has_forbidden
from ingest.models import ImportJob, WriteKey
from ingest.services.imports import import_records
from ingest.tracking_mapping import (
    MAX_REQUEST_BYTES,
    Mapped,
    MessageError,
    PayloadError,
    batch_messages,
    decode,
    map_messages,
    single_message,
)

logger = logging.getLogger(__name__)

#: How stale ``WriteKey.last_used_at`` may get: one write a minute at most per key,
#: instead of one per request from every busy source.
TOUCH_INTERVAL = timedelta(minutes=1)
MAX_REPORTED_ERRORS = 100


# --- Services ------------------------------------------------------------------------


def write_key_find(key: str) -> WriteKey | None:
    # A key never holds a control character; PostgreSQL would refuse the query for a NUL.
    if not key or has_forbidden(key, single_line=True):
        return None
    return WriteKey.objects.filter(key=key, is_active=True).first()


def write_key_touch(*, write_key: WriteKey) -> None:
    """Record use, at most once per TOUCH_INTERVAL: a conditional update, so concurrent
    requests race harmlessly and a busy key costs one write a minute."""
    now = timezone.now()
    WriteKey.objects.filter(pk=write_key.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - TOUCH_INTERVAL)
    ).update(last_used_at=now)


@dataclass
class TrackingResult:
    received: int = 0
    ignored: int = 0
    inserted: int = 0
    duplicates: int = 0
    rejected: int = 0
    contacts_created: int = 0
    contacts_updated: int = 0
    accounts_updated: int = 0
    job_id: int | None = None
    errors: list[MessageError] = field(default_factory=list)

    def reject(self, error: MessageError) -> None:
        self.rejected += 1
        self.errors.append(error)

    def as_dict(self) -> dict[str, Any]:
        errors = sorted(self.errors, key=lambda e: e.index)[:MAX_REPORTED_ERRORS]
        return {
            "success": True,
            "received": self.received,
            "ignored": self.ignored,
            "inserted": self.inserted,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "contacts_created": self.contacts_created,
            "contacts_updated": self.contacts_updated,
            "accounts_updated": self.accounts_updated,
            "job": self.job_id,
            "errors": [error.as_dict() for error in errors],
        }


def tracking_receive(*, mapped: Mapped) -> TrackingResult:
    """Apply one mapped batch: account traits, then contacts, then usage, so that an
    identify and the events after it in the same batch land together."""
    result = TrackingResult(received=mapped.received, ignored=mapped.ignored)
    for error in mapped.errors:
        result.reject(error)
    with one_announcement():  # account traits and usage of one batch: one recompute
        with transaction.atomic():
            _update_accounts(mapped, result)
            _update_contacts(mapped, result)
        _import_usage(mapped, result)
    return result


def _not_writable_reason() -> str:
    """The one answer for an account a message may not write to, whether it exists or
    not: a write key must not tell its holder which external IDs are accounts here."""
    return _("is not an account this key can write to")


def _not_writable(index: int, kind: str) -> MessageError:
    return MessageError(index, kind, "groupId", _not_writable_reason())


def _update_accounts(mapped: Mapped, result: TrackingResult) -> None:
    """Group calls update the traits of the one account they name by ``groupId``, and
    of no other.

    The rule: a write key belongs to the installation and feeds the same product the
    CRM import does, so a group call may set the name, plan and segment Segment's
    group traits carry, but only those it sends non-blank, single-line and within
    their lengths (``tracking_mapping``): a group call never empties or garbles a name.
    It never creates an account either, since accounts come from the CRM import with
    their contract data, and it touches none of that data (ARR, seats, stage, dates,
    CSM).
    """
    if not mapped.accounts:
        return
    wanted = {update.account_external_id for update in mapped.accounts}
    accounts = {a.external_id: a for a in Account.objects.filter(external_id__in=wanted)}
    changed: dict[int, Account] = {}
    for update in mapped.accounts:
        account = accounts.get(update.account_external_id)
        if account is None:
            result.reject(_not_writable(update.index, "group"))
            continue
        for trait, value in update.traits.items():
            if getattr(account, trait) != value:
                setattr(account, trait, value)
                changed[account.pk] = account
    if changed:
        now = timezone.now()
        for account in changed.values():
            account.updated_at = now
        Account.objects.bulk_update(
            changed.values(), ["name", "plan", "segment", "updated_at"], batch_size=500
        )
        announce_account_data_changed(changed)
    result.accounts_updated = len(changed)


def _update_contacts(mapped: Mapped, result: TrackingResult) -> None:
    """Identify calls change only the contact of the account the message names (by
    ``groupId`` or the other account paths of ``tracking_mapping``): create it there,
    or update its name and title.

    A call that names no account changes nothing and says so. An e-mail alone would
    reach every account that has a contact with that address, and whether anything
    changed would tell the sender which addresses are known here.
    """
    if not mapped.contacts:
        return
    external_ids = {u.account_external_id for u in mapped.contacts if u.account_external_id}
    account_ids = dict(
        Account.objects.filter(external_id__in=external_ids).values_list("external_id", "pk")
    )
    emails = {u.email for u in mapped.contacts if u.account_external_id in account_ids}
    existing = {
        (contact.account_id, contact.email): contact
        for contact in Contact.objects.filter(account_id__in=account_ids.values(), email__in=emails)
    }

    new: dict[tuple[int, str], Contact] = {}
    changed: dict[int, Contact] = {}
    for update in mapped.contacts:
        if not update.account_external_id:
            result.reject(
                MessageError(
                    update.index,
                    "identify",
                    "groupId",
                    _("is required: an identify call changes the contact of its account only"),
                )
            )
            continue
        account_id = account_ids.get(update.account_external_id)
        if account_id is None:
            result.reject(_not_writable(update.index, "identify"))
            continue
        key = (account_id, update.email)
        contact = existing.get(key) or new.get(key)
        if contact is None:
            new[key] = Contact(
                account_id=account_id,
                email=update.email,
                name=update.name or update.email.split("@")[0],
                title=update.title,
            )
        elif _apply_contact_traits(contact, update.name, update.title) and contact.pk:
            changed[contact.pk] = contact
    if new:
        # Ignore conflicts: a concurrent request may create the same contact first.
        Contact.objects.bulk_create(new.values(), ignore_conflicts=True, batch_size=500)
    if changed:
        Contact.objects.bulk_update(changed.values(), ["name", "title"], batch_size=500)
    result.contacts_created = len(new)
    result.contacts_updated = len(changed)


def _apply_contact_traits(contact: Contact, name: str, title: str) -> bool:
    before = (contact.name, contact.title)
    contact.name = name or contact.name
    contact.title = title or contact.title
    return (contact.name, contact.title) != before


def _import_usage(mapped: Mapped, result: TrackingResult) -> None:
    """Track calls become usage rows through the one ingestion pipeline, partial so that
    one bad event never drops the batch. An event without a groupId belongs to the
    account of its person, when exactly one account has a contact with that e-mail."""
    if not mapped.usage:
        return
    records = [dict(record) for record in mapped.usage]
    orphan_emails = {
        r["contact_email"] for r in records if not r["account_external_id"] and r["contact_email"]
    }
    if orphan_emails:
        homes: dict[str, set[str]] = {}
        for email, external_id in Contact.objects.filter(email__in=orphan_emails).values_list(
            "email", "account__external_id"
        ):
            homes.setdefault(email, set()).add(external_id)
        for record in records:
            home = homes.get(record["contact_email"], set())
            if not record["account_external_id"] and len(home) == 1:
                record["account_external_id"] = next(iter(home))
    job = import_records(
        kind=ImportJob.Kind.USAGE, records=records, source=Source.SEGMENT, partial=True
    )
    result.job_id = job.pk
    result.inserted = job.rows_inserted
    result.duplicates = job.rows_duplicate
    # The job keeps the first MAX_STORED_ERRORS row errors; the count covers them all.
    result.rejected += job.rows_rejected
    for error in job.errors:
        row = error["row"] - 1  # the pipeline numbers records from 1
        reason = error["reason"]
        if error["column"] == "account_external_id" and records[row]["account_external_id"]:
            # The job (seen by staff) says "unknown account"; the sender is told no more
            # than that it may not write there.
            reason = _not_writable_reason()
        result.errors.append(
            MessageError(mapped.usage_index[row], "track", _field_name(error["column"]), reason)
        )
    if job.status != ImportJob.Status.SUCCEEDED:
        logger.warning("Tracking batch job %s was %s: %s", job.pk, job.status, job.message)


def _field_name(column: str) -> str:
    return {
        "account_external_id": "groupId",
        "occurred_at": "timestamp",
        "quantity": "properties.quantity",
        "contact_email": "userId",
        "message_id": "messageId",
    }.get(column, column)


# --- Views -----------------------------------------------------------------------------


def _error(status: int, code: str, message: str) -> JsonResponse:
    # Segment's error shape: its libraries log ``code`` and ``message``.
    response = JsonResponse({"success": False, "code": code, "message": message}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Basic realm="tracking"'
    return response


class _TooLarge(Exception):
    pass


def _basic_user(request: HttpRequest) -> str | None:
    """The Basic-auth user name (the write key), or None when no Basic header came."""
    scheme, _sep, encoded = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return ""
    return decoded.partition(":")[0]


def _read_body(request: HttpRequest) -> bytes:
    """At most MAX_REQUEST_BYTES of body, gunzipped if sent so; never the whole of a
    larger one, so a runaway client cannot make us buffer megabytes."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_REQUEST_BYTES:
        raise _TooLarge
    raw = request.read(MAX_REQUEST_BYTES + 1)
    if len(raw) > MAX_REQUEST_BYTES:
        raise _TooLarge
    if request.META.get("HTTP_CONTENT_ENCODING", "").lower() == "gzip":
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            raw = inflater.decompress(raw, MAX_REQUEST_BYTES + 1)
        except zlib.error:
            raise PayloadError(_("The body is not valid gzip.")) from None
        if len(raw) > MAX_REQUEST_BYTES or inflater.unconsumed_tail:
            raise _TooLarge
    return raw


def _receive(request: HttpRequest, message_type: str | None) -> JsonResponse:
    if request.method != "POST":
        response = _error(405, "method_not_allowed", _("Send events with POST."))
        response["Allow"] = "POST"
        return response
    header_key = _basic_user(request)
    if header_key is not None and write_key_find(header_key) is None:
        return _error(401, "unauthorized", _("The write key is missing, wrong or inactive."))
    try:
        body = decode(_read_body(request))
    except _TooLarge:
        return _error(413, "payload_too_large", _("A request may carry at most 500 KB of events."))
    except PayloadError as problem:
        return _error(400, "invalid_request", str(problem))
    write_key = write_key_find(header_key if header_key is not None else _body_key(body))
    if write_key is None:
        return _error(401, "unauthorized", _("The write key is missing, wrong or inactive."))
    write_key_touch(write_key=write_key)

    try:
        messages = (
            batch_messages(body) if message_type is None else [single_message(body, message_type)]
        )
    except PayloadError as problem:
        return _error(400, "invalid_request", str(problem))
    mapped = map_messages(messages, received_at=timezone.now())
    result = tracking_receive(mapped=mapped)
    if message_type is not None and result.errors:
        # One message, refused: a 400 naming its field, with the batch's report, so a
        # library logs why and does not send it again.
        error = result.errors[0]
        body = {
            **result.as_dict(),
            "success": False,
            "code": "invalid_request",
            "message": f"{error.field} {error.reason}",
        }
        return JsonResponse(body, status=400)
    return JsonResponse(result.as_dict())


def _body_key(body: Any) -> str:
    key = body.get("writeKey") if isinstance(body, dict) else None
    return key if isinstance(key, str) else ""


# Machine-to-machine endpoints: public to the session-based access layer, because the
# caller is a Segment library with no session or CSRF cookie; each request is
# authenticated by its write key inside the view, and refused with a JSON 401 otherwise.
@csrf_exempt
@public
def batch(request: HttpRequest) -> JsonResponse:
    return _receive(request, None)


@csrf_exempt
@public
def track(request: HttpRequest) -> JsonResponse:
    return _receive(request, "track")


@csrf_exempt
@public
def identify(request: HttpRequest) -> JsonResponse:
    return _receive(request, "identify")


@csrf_exempt
@public
def group(request: HttpRequest) -> JsonResponse:
    return _receive(request, "group")
