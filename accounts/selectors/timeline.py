"""The account's own contributions to its timeline (``core.timeline``): notes and the
audited changes of its profile; and the timeline page's read."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Account, Note, User
from core.models import AuditEvent
from core.roles import STAFF_ROLES
from core.timeline import (
    PAGE_SIZE,
    TimelineEntry,
    TimelinePage,
    TimelineSource,
    Window,
    account_timeline,
)

#: Enough of a note to recognise it; the full text is on the account page.
NOTE_PREVIEW_CHARS = 280


def person(user: User | None) -> str:
    """How the timeline names who did something."""
    if user is None:
        return ""
    return user.get_full_name() or user.username


def note_entries(account: Account, viewer: User, window: Window) -> list[TimelineEntry]:
    rows = window.apply(
        Note.objects.filter(account=account).select_related("author").annotate(at=F("created_at")),
        kind="note",
        at="at",
    )
    url = reverse("accounts:detail", args=[account.pk]) + "#account-notes"
    return [
        TimelineEntry(
            at=note.created_at,
            kind="note",
            id=note.pk,
            title=_("Note"),
            detail=_preview(note.body),
            actor=person(note.author),
            url=url,
        )
        for note in rows
    ]


def _preview(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= NOTE_PREVIEW_CHARS else text[: NOTE_PREVIEW_CHARS - 1] + "…"


def change_entries(account: Account, viewer: User, window: Window) -> list[TimelineEntry]:
    """Changes made to the account's profile and recorded in the audit trail (a bulk
    reassignment, a new stage). Two queries: the records, and the people they name."""
    rows = list(
        window.apply(
            AuditEvent.objects.filter(target_type=Account._meta.label_lower, target_id=account.pk)
            .select_related("actor")
            .annotate(at=F("created_at")),
            kind="change",
            at="at",
        )
    )
    owner_ids = {
        pk for row in rows for pk in row.changes.get("csm_owner_id", []) if isinstance(pk, int)
    }
    names = (
        {user.pk: person(user) for user in User.objects.filter(pk__in=owner_ids)}
        if owner_ids
        else {}
    )
    return [
        TimelineEntry(
            at=row.created_at,
            kind="change",
            id=row.pk,
            title=_describe_change(row.changes, names),
            actor=person(row.actor),
        )
        for row in rows
    ]


def _describe_change(changes: dict[str, list[Any]], names: dict[int, str]) -> str:
    parts = []
    if "csm_owner_id" in changes:
        before, after = changes["csm_owner_id"]
        parts.append(
            _("CSM changed from %(before)s to %(after)s")
            % {
                "before": names.get(before, _("nobody")) if before else _("nobody"),
                "after": names.get(after, _("nobody")) if after else _("nobody"),
            }
        )
    if "lifecycle_stage" in changes:
        before, after = changes["lifecycle_stage"]
        parts.append(
            _("Stage changed from %(before)s to %(after)s")
            % {"before": _stage(before), "after": _stage(after)}
        )
    return "; ".join(parts) or _("Profile changed")


def _stage(value: str) -> str:
    try:
        return str(Account.Lifecycle(value).label)
    except ValueError:
        return value


NOTES = TimelineSource(kind="note", label=gettext_lazy("Notes"), entries=note_entries, order=10)


#: Entries the Customer 360 page shows before "the whole timeline".
SECTION_ENTRIES = 10


def account_timeline_page(
    *,
    user: User,
    account_id: int,
    kinds: list[str] | tuple[str, ...] = (),
    cursor: str = "",
    limit: int = PAGE_SIZE,
) -> tuple[Account, TimelinePage]:
    """One page of an account's timeline for ``user``: staff only, and only of an
    account they may see (a 404 otherwise, as for the account page).

    Customers never read a timeline: it holds internal notes and alerts. The pages and
    the API also refuse them by role; the rule is here so no door can forget it.
    """
    if user.role not in STAFF_ROLES:
        raise PermissionDenied(_("Only staff may read an account's timeline."))
    account = get_object_or_404(Account.objects.visible_to(user), pk=account_id)
    page = account_timeline(account=account, viewer=user, kinds=kinds, cursor=cursor, limit=limit)
    return account, page


CHANGES = TimelineSource(
    kind="change", label=gettext_lazy("Changes"), entries=change_entries, order=80
)
