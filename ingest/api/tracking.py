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

import pandas as pd
from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from accounts.models import Account, Contact
from accounts.signals import announce_account_data_changed
from core.access import public
from core.jobs import cause_tracking
from core.retry import atomic_with_retry
from core.text import has_forbidden
from ingest.models import ImportJob, TrackedUser, WriteKey
from ingest.services.imports import import_tracking_batch
from ingest.tracking_mapping import (
    MAX_REQUEST_BYTES,
    ContactUpdate,
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


def tracking_receive(*, mapped: Mapped, write_key: WriteKey) -> TrackingResult:
    """Apply one mapped batch: account traits, then contacts, then usage, so that an
    identify and the events after it in the same batch land together.

    Each write announces its accounts in its own transaction, so the recomputes it
    needs commit with the data (``accounts.signals``); the second announcement of a
    batch folds into the job the first one queued (``core.jobs.job_request``)."""
    result = TrackingResult(received=mapped.received, ignored=mapped.ignored)
    for error in mapped.errors:
        result.reject(error)
    people = atomic_with_retry(lambda: _update_people(mapped))
    for error in people.errors:
        result.reject(error)
    result.accounts_updated = people.accounts_updated
    result.contacts_created = people.contacts_created
    result.contacts_updated = people.contacts_updated
    _import_usage(mapped, result, write_key)
    return result


def _update_people(mapped: Mapped) -> TrackingResult:
    """Account traits and contacts, in one transaction that may run again from the
    start (``core.retry``) when a concurrent batch deadlocks with it: so it reports into
    a fresh result each time. Its writes go in primary-key (or unique-key) order, so
    two batches naming the same people lock them in one order and rarely need that."""
    people = TrackingResult()
    _update_accounts(mapped, people)
    _update_contacts(mapped, people)
    return people


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
    The CRM owns those fields, so a group call only fills the empty ones, unless the
    admin lets it replace them (``TRACKING_GROUP_TRAITS_OVERWRITE``).
    It never creates an account either, since accounts come from the CRM import with
    their contract data, and it touches none of that data (ARR, seats, stage, dates,
    CSM).
    """
    if not mapped.accounts:
        return
    wanted = {update.account_external_id for update in mapped.accounts}
    accounts = {a.external_id: a for a in Account.objects.filter(external_id__in=wanted)}
    overwrite = settings.TRACKING_GROUP_TRAITS_OVERWRITE
    changed: dict[int, Account] = {}
    for update in mapped.accounts:
        account = accounts.get(update.account_external_id)
        if account is None:
            result.reject(_not_writable(update.index, "group"))
            continue
        for trait, value in update.traits.items():
            current = getattr(account, trait)
            if current != value and (overwrite or not current.strip()):
                setattr(account, trait, value)
                changed[account.pk] = account
    if changed:
        now = timezone.now()
        for account in changed.values():
            account.updated_at = now
        Account.objects.bulk_update(
            sorted(changed.values(), key=lambda a: a.pk),
            ["name", "plan", "segment", "updated_at"],
            batch_size=500,
        )
        announce_account_data_changed(changed, cause=cause_tracking())
    result.accounts_updated = len(changed)


def _update_contacts(mapped: Mapped, result: TrackingResult) -> None:
    """Identify and group calls link people to contacts the way Segment does: by
    ``userId``.

    An identify keeps its traits for its user ID (``TrackedUser``), so that the contact a
    later group call creates has them. With an account (``groupId`` or the other account
    paths of ``tracking_mapping``) it creates or updates that account's contact of the
    user ID or e-mail, and of no other account. Without one it updates the contacts
    already linked to its user ID, and nobody else: an e-mail alone would reach every
    account that has a contact with that address, and whether anything changed would
    tell the sender which addresses are known here. A group call with a ``userId`` links
    that user to the account it names, creating the contact if needed.
    """
    if not mapped.contacts:
        return
    updates = sorted(mapped.contacts, key=lambda u: u.index)
    profiles = _remember_users(updates)
    external_ids = {u.account_external_id for u in updates if u.account_external_id}
    account_ids = dict(
        Account.objects.filter(external_id__in=external_ids).values_list("external_id", "pk")
    )
    book = _ContactBook.load(updates, account_ids, profiles)
    for update in updates:
        if not update.account_external_id:
            # An identify naming no account: the contacts of its user ID, if any.
            for contact in book.linked.get(update.user_id, []) if update.user_id else []:
                if _apply_contact_traits(contact, update.name, update.title):
                    book.touch(contact)
            continue
        account_id = account_ids.get(update.account_external_id)
        if account_id is None:
            if update.kind == "identify":  # a group call's own refusal says it already
                result.reject(_not_writable(update.index, update.kind))
            continue
        book.link(update, account_id, profiles.get(update.user_id))
    if book.new:
        # Ignore conflicts: a concurrent request may create the same contact first.
        Contact.objects.bulk_create(
            sorted(book.new, key=lambda c: (c.account_id, c.email, c.tracking_user_id)),
            ignore_conflicts=True,
            batch_size=500,
        )
    if book.changed:
        Contact.objects.bulk_update(
            [book.changed[pk] for pk in sorted(book.changed)],
            ["name", "title", "email", "tracking_user_id"],
            batch_size=500,
        )
    result.contacts_created = len(book.new)
    result.contacts_updated = len(book.changed)


@dataclass
class _ContactBook:
    """The contacts one batch may touch, by (account, e-mail), by (account, user ID)
    and by user ID alone, kept current as the batch's calls create and link them."""

    by_email: dict[tuple[int, str], Contact] = field(default_factory=dict)
    by_user: dict[tuple[int, str], Contact] = field(default_factory=dict)
    linked: dict[str, list[Contact]] = field(default_factory=dict)
    new: list[Contact] = field(default_factory=list)
    changed: dict[int, Contact] = field(default_factory=dict)

    @classmethod
    def load(
        cls,
        updates: list[ContactUpdate],
        account_ids: dict[str, int],
        profiles: dict[str, TrackedUser],
    ) -> _ContactBook:
        scoped = [u for u in updates if u.account_external_id in account_ids]
        emails = {u.email for u in scoped if u.email}
        emails |= {p.email for p in profiles.values() if p.email}
        user_ids = {u.user_id for u in updates if u.user_id}
        unscoped = {u.user_id for u in updates if u.user_id and not u.account_external_id}
        in_accounts = Q(account_id__in=account_ids.values())
        book = cls()
        for contact in Contact.objects.filter(
            (in_accounts & Q(email__in=emails))
            | (in_accounts & Q(tracking_user_id__in=user_ids))
            | Q(tracking_user_id__in=unscoped)
        ):
            book.remember(contact)
        return book

    def remember(self, contact: Contact) -> None:
        if contact.email:
            self.by_email[(contact.account_id, contact.email)] = contact
        if contact.tracking_user_id:
            self.by_user[(contact.account_id, contact.tracking_user_id)] = contact
            people = self.linked.setdefault(contact.tracking_user_id, [])
            if contact not in people:
                people.append(contact)

    def touch(self, contact: Contact) -> None:
        if contact.pk:  # a contact new in this batch is saved as it ends up
            self.changed[contact.pk] = contact

    def link(self, update: ContactUpdate, account_id: int, profile: TrackedUser | None) -> None:
        """The account's contact of the update's user ID, else of its e-mail (when not
        linked to another user), created if none, with the traits known for the user."""
        email = update.email or (profile.email if profile else "")
        contact = self.by_user.get((account_id, update.user_id)) if update.user_id else None
        if contact is None and email:
            same_email = self.by_email.get((account_id, email))
            # Not a contact another user ID holds; a call without a user ID names the
            # person by e-mail alone.
            if same_email is not None and (
                not update.user_id or same_email.tracking_user_id in ("", update.user_id)
            ):
                contact = same_email
        if contact is None:
            name = update.name or (profile.name if profile else "")
            contact = Contact(
                account_id=account_id,
                email=email if (account_id, email) not in self.by_email else "",
                name=name or (email.split("@")[0] if email else update.user_id),
                title=update.title or (profile.title if profile else ""),
                tracking_user_id=update.user_id,
            )
            self.new.append(contact)
        else:
            touched = _apply_contact_traits(contact, update.name, update.title)
            if update.user_id and not contact.tracking_user_id:
                contact.tracking_user_id = update.user_id
                touched = True
            if email and not contact.email and (account_id, email) not in self.by_email:
                contact.email = email
                touched = True
            if touched:
                self.touch(contact)
        self.remember(contact)


def _remember_users(updates: list[ContactUpdate]) -> dict[str, TrackedUser]:
    """Keep the traits identify calls sent per user ID (the latest non-blank value of
    each), and return what is known of every user ID of ``updates``."""
    user_ids = {u.user_id for u in updates if u.user_id}
    if not user_ids:
        return {}
    known = {t.user_id: t for t in TrackedUser.objects.filter(user_id__in=user_ids)}
    dirty: dict[str, TrackedUser] = {}
    for update in updates:
        if update.kind != "identify" or not update.user_id:
            continue
        profile = known.setdefault(update.user_id, TrackedUser(user_id=update.user_id))
        before = (profile.email, profile.name, profile.title)
        profile.email = update.email or profile.email
        profile.name = update.name or profile.name
        profile.title = update.title or profile.title
        if (profile.email, profile.name, profile.title) != before or profile.pk is None:
            dirty[update.user_id] = profile
    if dirty:
        now = timezone.now()
        for profile in dirty.values():
            profile.updated_at = now
        TrackedUser.objects.bulk_create(
            [
                TrackedUser(user_id=p.user_id, email=p.email, name=p.name, title=p.title)
                for _user, p in sorted(dirty.items())
            ],
            update_conflicts=True,
            unique_fields=["user_id"],
            update_fields=["email", "name", "title", "updated_at"],
            batch_size=500,
        )
    return known


def _apply_contact_traits(contact: Contact, name: str, title: str) -> bool:
    before = (contact.name, contact.title)
    contact.name = name or contact.name
    contact.title = title or contact.title
    return (contact.name, contact.title) != before


def _import_usage(mapped: Mapped, result: TrackingResult, write_key: WriteKey) -> None:
    """Track calls become usage rows through the one ingestion pipeline, partial so that
    one bad event never drops the batch. An event without a groupId belongs to the
    account of its person, when exactly one account has a contact with that e-mail."""
    if not mapped.usage:
        return
    records = [dict(record) for record in mapped.usage]
    _find_homes(records)
    batch, job = import_tracking_batch(write_key=write_key, records=records)
    result.job_id = job.pk
    result.inserted = batch.rows_inserted
    result.duplicates = batch.rows_duplicate
    # The batch keeps the first MAX_STORED_ERRORS row errors; the count covers them all.
    result.rejected += batch.rows_rejected
    for error in batch.errors:
        row = error["row"] - 1  # the pipeline numbers records from 1
        reason = error["reason"]
        if error["column"] == "account_external_id" and records[row]["account_external_id"]:
            # The job (seen by staff) says "unknown account"; the sender is told no more
            # than that it may not write there.
            reason = _not_writable_reason()
        result.errors.append(
            MessageError(mapped.usage_index[row], "track", _field_name(error["column"]), reason)
        )
    if batch.status != ImportJob.Status.SUCCEEDED:
        logger.warning("Tracking batch of job %s was %s: %s", job.pk, batch.status, batch.message)


def _find_homes(records: list[dict[str, Any]]) -> None:
    """Give each event that names no account the account of its person: the one
    account with a contact linked to its user ID, else the one with a contact of its
    e-mail. Set-based: one query and a join per kind of key, whatever the batch size."""
    frame = pd.DataFrame(records, columns=["account_external_id", "user_id", "contact_email"])
    orphan = frame["account_external_id"] == ""
    if not orphan.any():
        return
    home = pd.Series("", index=frame.index, dtype="object")
    for column, field_name in (("contact_email", "email"), ("user_id", "tracking_user_id")):
        keys = set(frame.loc[orphan & (frame[column] != ""), column])
        if not keys:
            continue
        rows = Contact.objects.filter(**{f"{field_name}__in": keys}).values_list(
            field_name, "account__external_id"
        )
        homes = pd.DataFrame(list(rows), columns=[column, "home"]).drop_duplicates()
        only = homes[~homes[column].duplicated(keep=False)]  # exactly one account
        found = frame.loc[orphan, [column]].reset_index().merge(only, on=column, how="inner")
        # The user ID is the person's identity in Segment's model: it wins over the e-mail.
        home.loc[found["index"].to_numpy()] = found["home"].to_numpy()
    for index in home.index[home != ""]:
        records[index]["account_external_id"] = home[index]


def _field_name(column: str) -> str:
    return {
        "account_external_id": "groupId",
        "occurred_at": "timestamp",
        "quantity": "properties.quantity",
        "contact_email": "userId",
        "user_id": "userId",
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
    write_key = write_key_find(header_key) if header_key is not None else None
    if header_key is not None and write_key is None:
        return _error(401, "unauthorized", _("The write key is missing, wrong or inactive."))
    try:
        decoded = decode(_read_body(request))
        body = decoded.data
    except _TooLarge:
        return _error(413, "payload_too_large", _("A request may carry at most 500 KB of events."))
    except PayloadError as problem:
        return _error(400, "invalid_request", str(problem))
    if header_key is None:
        write_key = write_key_find(_body_key(body))
    if write_key is None:
        return _error(401, "unauthorized", _("The write key is missing, wrong or inactive."))
    write_key_touch(write_key=write_key)

    try:
        messages = (
            batch_messages(body) if message_type is None else [single_message(body, message_type)]
        )
    except PayloadError as problem:
        return _error(400, "invalid_request", str(problem))
    mapped = map_messages(messages, received_at=timezone.now(), plain=decoded.plain)
    result = tracking_receive(mapped=mapped, write_key=write_key)
    if message_type is not None and result.errors:
        # One message, refused: a 400 naming its field, with the batch's report, so a
        # library logs why and does not send it again.
        error = result.errors[0]
        answer = {
            **result.as_dict(),
            "success": False,
            "code": "invalid_request",
            "message": f"{error.field} {error.reason}",
        }
        return JsonResponse(answer, status=400)
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
