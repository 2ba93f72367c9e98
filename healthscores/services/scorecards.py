"""Scorecard configuration: reads for the editor, saving a version, previewing a draft.

A draft is the editor's unsaved configuration as plain data. Saving it bumps the
scorecard's version, stores the whole configuration as a ScorecardVersion and queues a
recompute; previewing it scores every account of the scorecard for today with the draft
and with the saved configuration, writing nothing, and reports which bands would move.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, ProtectedError, Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import Account, User
from accounts.selectors import usage_event_names
from core import i18n, jobs
from core.models import Job
from healthscores import engine, preview
from healthscores.measures import MEASURES
from healthscores.models import (
    HealthSnapshot,
    Scorecard,
    ScorecardMeasure,
    ScorecardVersion,
)
from healthscores.scoring import MeasureConfig, ScorecardConfig, score_accounts
from healthscores.services.recompute import recompute_request, today_utc

#: The editor lists this many saved versions, newest first.
VERSIONS_SHOWN = 50
#: Event names offered as key events; a product with more distinct events than this
#: types the rest (the known list is for picking, not a catalogue).
KNOWN_EVENTS_LIMIT = 500
BACKFILL_MAX_DAYS = 90


@dataclass(frozen=True)
class MeasureDraft:
    kind: str
    weight: float
    direction: str
    points: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class ScorecardDraft:
    """A scorecard's whole configuration, as the editor submitted it (measures in order)."""

    name: str
    red_below: float
    green_from: float
    key_events: tuple[str, ...]
    sentiment_stale_days: int
    measures: tuple[MeasureDraft, ...]

    def config(self, *, scorecard_id: int, version: int) -> ScorecardConfig:
        """The engine's view of this draft, as if it were saved."""
        return ScorecardConfig(
            id=scorecard_id,
            version=version,
            red_below=self.red_below,
            green_from=self.green_from,
            measures=tuple(
                MeasureConfig(kind=m.kind, weight=m.weight, points=m.points)
                for m in self.measures
                if m.kind in MEASURES
            ),
            key_events=self.key_events,
            sentiment_stale_days=self.sentiment_stale_days,
        )

    def as_json(self, *, segment: str) -> dict:
        """The ScorecardVersion record; the same shape the default's migration wrote."""
        return {
            "name": self.name,
            "segment": segment,
            "red_below": self.red_below,
            "green_from": self.green_from,
            "key_events": list(self.key_events),
            "sentiment_stale_days": self.sentiment_stale_days,
            "measures": [
                {
                    "kind": m.kind,
                    "weight": m.weight,
                    "direction": m.direction,
                    "points": [list(p) for p in m.points],
                }
                for m in self.measures
            ],
        }


def draft_from_json(data: dict[str, Any]) -> ScorecardDraft:
    """A draft from its :meth:`ScorecardDraft.as_json` record (a job's parameters)."""
    return ScorecardDraft(
        name=str(data["name"]),
        red_below=float(data["red_below"]),
        green_from=float(data["green_from"]),
        key_events=tuple(str(e) for e in data.get("key_events") or ()),
        sentiment_stale_days=int(data["sentiment_stale_days"]),
        measures=tuple(
            MeasureDraft(
                kind=str(m["kind"]),
                weight=float(m["weight"]),
                direction=str(m["direction"]),
                points=tuple((float(raw), float(score)) for raw, score in m["points"]),
            )
            for m in data.get("measures") or ()
        ),
    )


def draft_of(scorecard: Scorecard, measures: Iterable[ScorecardMeasure]) -> ScorecardDraft:
    return ScorecardDraft(
        name=scorecard.name,
        red_below=scorecard.red_below,
        green_from=scorecard.green_from,
        key_events=tuple(scorecard.key_events or ()),
        sentiment_stale_days=scorecard.sentiment_stale_days,
        measures=tuple(
            MeasureDraft(
                kind=m.kind,
                weight=m.weight,
                direction=m.direction,
                points=tuple((float(raw), float(score)) for raw, score in m.points),
            )
            for m in measures
        ),
    )


# --- Reads -------------------------------------------------------------------------


@dataclass(frozen=True)
class ScorecardRow:
    scorecard: Scorecard
    measures_count: int
    accounts_count: int


@dataclass(frozen=True)
class ScorecardsOverview:
    rows: list[ScorecardRow]
    #: Segments that accounts have and no scorecard covers yet, for "create".
    free_segments: list[str]


def scorecards_overview() -> ScorecardsOverview:
    """Every scorecard with its measure count and how many accounts it scores; two
    queries whatever the number of scorecards or accounts."""
    scorecards = list(Scorecard.objects.annotate(measures_count=Count("measures")))
    per_segment = dict(
        Account.objects.order_by()
        .values_list("segment")
        .annotate(n=Count("pk"))
        .values_list("segment", "n")
    )
    own = {s.segment for s in scorecards if not s.is_default}
    # The default scores every account whose segment has no scorecard of its own.
    fallback = sum(n for segment, n in per_segment.items() if segment not in own)
    rows = [
        ScorecardRow(
            scorecard=s,
            measures_count=s.measures_count,
            accounts_count=fallback if s.is_default else per_segment.get(s.segment, 0),
        )
        for s in sorted(scorecards, key=lambda s: (not s.is_default, s.name.lower()))
    ]
    free = sorted(segment for segment in per_segment if segment and segment not in own)
    return ScorecardsOverview(rows=rows, free_segments=free)


def scorecard_accounts(scorecard: Scorecard) -> QuerySet[Account]:
    """The accounts this scorecard scores (the engine's segment mapping, as a filter)."""
    if scorecard.is_default:
        own = Scorecard.objects.exclude(segment="").values("segment")
        return Account.objects.filter(~Q(segment__in=own))
    return Account.objects.filter(segment=scorecard.segment)


def known_events() -> list[str]:
    """Event names that occur in the usage rollups, for picking key events."""
    return usage_event_names(limit=KNOWN_EVENTS_LIMIT)


@dataclass(frozen=True)
class EditorData:
    scorecard: Scorecard
    measures: list[ScorecardMeasure]
    versions: list[ScorecardVersion]
    versions_total: int
    accounts_count: int
    known_events: list[str]


def scorecard_editor_data(*, scorecard_id: int) -> EditorData:
    """Everything the editor page shows, in a fixed number of queries."""
    scorecard = Scorecard.objects.get(pk=scorecard_id)
    versions = ScorecardVersion.objects.filter(scorecard=scorecard).select_related("saved_by")
    return EditorData(
        scorecard=scorecard,
        measures=list(scorecard.measures.all()),
        versions=list(versions[:VERSIONS_SHOWN]),
        versions_total=versions.count(),
        accounts_count=scorecard_accounts(scorecard).count(),
        known_events=known_events(),
    )


# --- Writes ------------------------------------------------------------------------


def scorecard_create(*, segment: str, user: User | None) -> Scorecard:
    """A scorecard for ``segment``, starting as a copy of the default's configuration."""
    segment = segment.strip()
    if not segment:
        raise ValidationError(_("Choose a segment: the default scorecard already exists."))
    with transaction.atomic():
        if Scorecard.objects.filter(segment=segment).exists():
            raise ValidationError(
                _("Segment %(segment)s already has a scorecard.") % {"segment": segment}
            )
        default = Scorecard.objects.prefetch_related("measures").get(segment="")
        scorecard = Scorecard.objects.create(
            name=segment,
            segment=segment,
            red_below=default.red_below,
            green_from=default.green_from,
            key_events=list(default.key_events or ()),
            sentiment_stale_days=default.sentiment_stale_days,
            version=1,
        )
        ScorecardMeasure.objects.bulk_create(
            ScorecardMeasure(
                scorecard=scorecard,
                kind=m.kind,
                weight=m.weight,
                direction=m.direction,
                points=m.points,
                position=m.position,
            )
            for m in default.measures.all()
        )
        draft = dataclasses.replace(draft_of(default, default.measures.all()), name=segment)
        ScorecardVersion.objects.create(
            scorecard=scorecard,
            version=1,
            config=draft.as_json(segment=segment),
            saved_by=user,
        )
    return scorecard


def scorecard_snapshot_count(scorecard: Scorecard) -> int:
    return HealthSnapshot.objects.filter(scorecard=scorecard).count()


def scorecard_delete(*, scorecard: Scorecard) -> None:
    """Delete a segment's scorecard that has never scored a snapshot.

    Snapshots keep their scorecard (PROTECT) so that history stays explainable; once one
    exists the scorecard stays, and the admin edits it instead. Its accounts fall back to
    the default scorecard at the next recompute.
    """
    if scorecard.is_default:
        raise ValidationError(_("The default scorecard cannot be deleted."))
    try:
        with transaction.atomic():
            scorecard.delete()
    except ProtectedError:
        raise ValidationError(
            _(
                "%(name)s has scored health snapshots that must stay explainable, so it "
                "cannot be deleted. Edit it instead."
            )
            % {"name": scorecard.name}
        ) from None


def draft_apply(scorecard: Scorecard, draft: ScorecardDraft) -> list[ScorecardMeasure]:
    """Put ``draft`` on ``scorecard`` (unsaved) and check it against the model's rules;
    returns its measures, unsaved. Raises ValidationError.

    The editor validates with row-level messages; the rules are checked here again for
    every caller (saving, previewing, the API), because a service must not trust its
    caller."""
    scorecard.name = draft.name
    scorecard.red_below = draft.red_below
    scorecard.green_from = draft.green_from
    scorecard.key_events = list(draft.key_events)
    scorecard.sentiment_stale_days = draft.sentiment_stale_days
    measures = [
        ScorecardMeasure(
            scorecard=scorecard,
            kind=m.kind,
            weight=m.weight,
            direction=m.direction,
            points=[list(p) for p in m.points],
            position=position,
        )
        for position, m in enumerate(draft.measures)
    ]
    if len({m.kind for m in measures}) != len(measures):
        raise ValidationError(_("Each measure can be on a scorecard once."))
    if not any(m.weight > 0 for m in measures):
        raise ValidationError(_("Put at least one measure with a weight above 0 on the scorecard."))
    scorecard.full_clean(validate_unique=False, validate_constraints=False)
    for measure in measures:
        measure.full_clean(exclude=["scorecard"], validate_constraints=False)
    return measures


def scorecard_save(
    *, scorecard_id: int, draft: ScorecardDraft, user: User | None, expected_version: int
) -> Scorecard:
    """Save ``draft`` as the next version and queue today's recompute for everyone.

    ``expected_version`` is the version the editor was opened on: two admins editing at
    once must not silently overwrite each other, so the second save is refused.
    """
    with transaction.atomic():
        # Locked so that two saves cannot both write version N + 1.
        scorecard = Scorecard.objects.select_for_update().get(pk=scorecard_id)
        if scorecard.version != expected_version:
            raise ValidationError(
                _(
                    "Someone saved version %(version)d of this scorecard while you were "
                    "editing; nothing was saved. Open the editor again to see their changes."
                )
                % {"version": scorecard.version}
            )
        measures = draft_apply(scorecard, draft)
        scorecard.version += 1
        scorecard.save()
        scorecard.measures.all().delete()
        ScorecardMeasure.objects.bulk_create(measures)
        ScorecardVersion.objects.create(
            scorecard=scorecard,
            version=scorecard.version,
            config=draft.as_json(segment=scorecard.segment),
            saved_by=user,
        )
        # Saved by a command or a migration (no user): the recompute has no cause to
        # name, and spares nobody.
        cause = jobs.NO_CAUSE
        if user is not None:
            cause = jobs.cause_action(
                actor_id=user.pk,
                text=i18n.deferred(
                    "It changed after %(person)s saved the scorecard %(name)s.",
                    person=str(user),
                    name=scorecard.name,
                ),
            )
        recompute_request(cause=cause)
    return scorecard


def scorecard_backfill(*, scorecard: Scorecard, days: int) -> list[Job]:
    """Queue quiet recomputes of the ``days`` days before today for this scorecard's
    accounts (today was queued by the save, with alerts).

    Runs name their accounts rather than being full runs: only this scorecard's history
    changed, and full runs hold a one-at-a-time lock, so N full runs queued together
    would stand each other down on real workers instead of sharing them.
    """
    if not 1 <= days <= BACKFILL_MAX_DAYS:
        raise ValidationError(
            _("Backfill between 1 and %(max)d days.") % {"max": BACKFILL_MAX_DAYS}
        )
    ids = list(scorecard_accounts(scorecard).order_by("pk").values_list("pk", flat=True))
    if not ids:
        return []
    today = today_utc()
    with transaction.atomic():
        return [
            recompute_request(account_ids=ids, day=today - timedelta(days=n), raise_alerts=False)
            for n in range(days, 0, -1)
        ]


# --- Preview -----------------------------------------------------------------------


def _families(config: ScorecardConfig) -> set[str]:
    return {MEASURES[m.kind].family for m in config.measures if m.kind in MEASURES}


def _same_raw_inputs(saved: ScorecardConfig, draft: ScorecardConfig) -> bool:
    """Whether the draft's raw values serve the saved configuration too: the same key
    events and stale sentiment window, and every family the saved one reads was loaded."""
    return (
        set(saved.key_events) == set(draft.key_events)
        and saved.sentiment_stale_days == draft.sentiment_stale_days
        and _families(saved) <= _families(draft)
    )


def scorecard_preview(
    *, scorecard: Scorecard, draft: ScorecardDraft, day: date | None = None
) -> preview.Comparison:
    """Score this scorecard's accounts for ``day`` (today) with the draft and with the
    saved configuration, in chunks, and compare the bands. Writes nothing."""
    day = day or today_utc()
    saved = engine.load_scorecards()
    drafted = dataclasses.replace(
        saved,
        configs={
            **saved.configs,
            scorecard.pk: draft.config(scorecard_id=scorecard.pk, version=scorecard.version + 1),
        },
    )
    ids = list(scorecard_accounts(scorecard).order_by("pk").values_list("pk", flat=True))
    size = settings.HEALTH_CHUNK_SIZE
    return preview.merge(
        preview.comparison_json(
            preview_chunk(
                scorecard_id=scorecard.pk,
                config=drafted.configs[scorecard.pk],
                ids=tuple(ids[start : start + size]),
                day=day,
                saved=saved,
            )
        )
        for start in range(0, len(ids), size)
    )


def preview_chunk(
    *,
    scorecard_id: int,
    config: ScorecardConfig,
    ids: tuple[int, ...],
    day: date,
    saved: engine.Scorecards | None = None,
) -> preview.Comparison:
    """Score these accounts of a scorecard for ``day`` with ``config`` (a draft) and as
    saved, and compare the bands. Writes nothing.

    The accounts themselves, not an ID range: a segment's accounts are scattered among
    every other segment's, and a range would score those too. When the draft reads the
    same raw values as the saved configuration, they are loaded once for both.
    """
    saved = saved or engine.load_scorecards()
    drafted = dataclasses.replace(saved, configs={**saved.configs, scorecard_id: config})
    scope = engine.Scope(ids=ids)
    after = engine.evaluate(scope, day, drafted)
    if _same_raw_inputs(saved.configs[scorecard_id], config):
        before = score_accounts(after.raw, after.accounts["scorecard_id"], saved.configs)
    else:
        before = engine.evaluate(scope, day, saved).scored
    return preview.compare(before.summary, after.scored.summary, after.accounts["name"])
