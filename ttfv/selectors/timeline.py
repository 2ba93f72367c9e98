"""Onboarding milestones on the account timeline (``core.timeline``)."""

from __future__ import annotations

from django.db.models import DateTimeField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Account, User
from accounts.selectors.timeline import person
from core.timeline import TimelineEntry, TimelineSource, Window
from ttfv.models import MilestoneProgress


def milestone_entries(account: Account, viewer: User, window: Window) -> list[TimelineEntry]:
    rows = window.apply(
        MilestoneProgress.objects.filter(account=account)
        .select_related("milestone", "checked_by")
        .annotate(at=Cast("achieved_on", DateTimeField())),
        kind="milestone",
        at="at",
    )
    url = reverse("accounts:detail", args=[account.pk]) + "#onboarding"
    return [
        TimelineEntry(
            at=row.at,
            kind="milestone",
            id=row.pk,
            title=(
                _("First value reached: %(milestone)s")
                if row.milestone.is_first_value
                else _("Milestone reached: %(milestone)s")
            )
            % {"milestone": row.milestone.name},
            detail=row.get_source_display(),
            actor=person(row.checked_by),
            url=url,
            tone="green",
            all_day=True,
        )
        for row in rows
    ]


MILESTONES = TimelineSource(
    kind="milestone",
    label=gettext_lazy("Onboarding milestones"),
    entries=milestone_entries,
    order=50,
)
