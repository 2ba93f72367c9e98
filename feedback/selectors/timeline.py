"""Ideas on the account timeline (``core.timeline``): what its people voted for, and
what its CSM recorded them asking for."""

from __future__ import annotations

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Account, User
from accounts.selectors.timeline import person
from core.timeline import TimelineEntry, TimelineSource, Window
from feedback.models import Vote


def vote_entries(account: Account, viewer: User, window: Window) -> list[TimelineEntry]:
    rows = window.apply(
        Vote.objects.filter(account=account)
        .select_related("idea", "contact", "added_by")
        .annotate(at=F("created_at")),
        kind="idea",
        at="at",
    )
    return [
        TimelineEntry(
            at=vote.created_at,
            kind="idea",
            id=vote.pk,
            title=(
                _("%(contact)s asked for “%(idea)s”")
                if vote.on_behalf
                else _("%(contact)s voted for “%(idea)s”")
            )
            % {"contact": vote.contact.name or vote.contact.email, "idea": vote.idea.title},
            detail=vote.note,
            actor=person(vote.added_by),
            url=reverse("feedback:idea", args=[vote.idea_id]),
        )
        for vote in rows
    ]


IDEAS = TimelineSource(kind="idea", label=gettext_lazy("Ideas"), entries=vote_entries, order=60)
