"""Imports on the account timeline (``core.timeline``): each file or REST load that
landed rows for the account."""

from __future__ import annotations

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Account, User
from accounts.selectors.timeline import person
from core.timeline import TimelineEntry, TimelineSource, Window
from ingest.models import ImportedAccount


def import_entries(account: Account, viewer: User, window: Window) -> list[TimelineEntry]:
    rows = window.apply(
        ImportedAccount.objects.filter(account=account)
        .select_related("job", "job__created_by")
        .annotate(at=F("landed_at")),
        kind="import",
        at="at",
    )
    return [
        TimelineEntry(
            at=row.landed_at,
            kind="import",
            id=row.pk,
            title=_("Import: %(kind)s") % {"kind": row.job.get_kind_display()},
            detail=row.job.file_name or row.job.get_source_display(),
            actor=person(row.job.created_by),
            url=reverse("ingest:import_job", args=[row.job_id]),
        )
        for row in rows
    ]


IMPORTS = TimelineSource(
    kind="import", label=gettext_lazy("Imports"), entries=import_entries, order=70
)
