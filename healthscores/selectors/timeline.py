"""Health on the account timeline (``core.timeline``): sentiment changes, overrides and
band changes, one source each so the timeline can filter them apart."""

from __future__ import annotations

from django.db.models import DateTimeField, F, Q
from django.db.models import Window as SqlWindow
from django.db.models.functions import Cast, Lag
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Account, User
from accounts.selectors.timeline import person
from core.timeline import TimelineEntry, TimelineSource, Window
from healthscores.models import Band, HealthOverride, HealthSnapshot, Sentiment

TONES = {Band.RED: "red", Band.YELLOW: "yellow", Band.GREEN: "green"}


def sentiment_entries(account: Account, viewer: User, window: Window) -> list[TimelineEntry]:
    rows = window.apply(
        Sentiment.objects.filter(account=account).select_related("set_by").annotate(at=F("set_at")),
        kind="sentiment",
        at="at",
    )
    return [
        TimelineEntry(
            at=row.set_at,
            kind="sentiment",
            id=row.pk,
            title=_("Sentiment set to %(value)s") % {"value": row.get_value_display()},
            detail=row.comment,
            actor=person(row.set_by),
            tone=TONES.get(row.value, ""),
        )
        for row in rows
    ]


def override_entries(account: Account, viewer: User, window: Window) -> list[TimelineEntry]:
    rows = window.apply(
        HealthOverride.objects.filter(account=account)
        .select_related("set_by")
        .annotate(at=F("created_at")),
        kind="override",
        at="at",
    )
    return [
        TimelineEntry(
            at=row.created_at,
            kind="override",
            id=row.pk,
            title=_("Band overridden to %(band)s from %(start)s until %(end)s")
            % {
                "band": row.get_band_display(),
                "start": row.starts_on.isoformat(),
                "end": row.expires_on.isoformat(),
            },
            detail=row.reason,
            actor=person(row.set_by),
            tone=TONES.get(row.band, ""),
        )
        for row in rows
    ]


def band_change_entries(account: Account, viewer: User, window: Window) -> list[TimelineEntry]:
    """Days whose computed band differs from the day before's.

    The previous band comes from a window function over the account's snapshots, in
    the database: the page reads the changes, never every day of a year of snapshots.
    A change on the first day of a ``since`` window has no day before inside it and is
    left out, which errs on the side of silence.
    """
    snapshots = (
        HealthSnapshot.objects.filter(account=account)
        .annotate(
            at=Cast("day", DateTimeField()),
            previous=SqlWindow(Lag("band"), order_by=F("day").asc()),
        )
        .filter(previous__isnull=False)
        .filter(~Q(previous=F("band")))
    )
    rows = window.apply(snapshots, kind="band", at="at")
    url = reverse("healthscores:why_changed", args=[account.pk])
    return [
        TimelineEntry(
            at=row.at,
            kind="band",
            id=row.pk,
            title=_("Health went from %(before)s to %(after)s")
            % {"before": Band(row.previous).label, "after": row.get_band_display()},
            detail=_("Score %(score)s") % {"score": f"{row.score:.0f}"}
            if row.score is not None
            else "",
            url=url,
            tone=TONES.get(row.band, ""),
            all_day=True,
        )
        for row in rows
    ]


SENTIMENT = TimelineSource(
    kind="sentiment", label=gettext_lazy("Sentiment"), entries=sentiment_entries, order=30
)
OVERRIDES = TimelineSource(
    kind="override", label=gettext_lazy("Overrides"), entries=override_entries, order=40
)
BAND_CHANGES = TimelineSource(
    kind="band", label=gettext_lazy("Health band changes"), entries=band_change_entries, order=25
)
