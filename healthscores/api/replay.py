"""REST door of the scorecard draft's preview: the same job as the editor's.

``POST /api/health/scorecards/{id}/previews/`` with the fields of the draft that differ
from the saved scorecard queues the preview (or returns the one already asked for with
the same draft over the same data); ``GET …/previews/{job_id}/`` reads its progress and,
once done, its result; ``POST …/previews/{job_id}/cancel/`` stops it. Admins only, as
the editor.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.access import allow
from core.api import DetailSerializer, ServiceErrorsMixin, StrictCharField
from core.roles import Role
from healthscores import selectors, services
from healthscores.measures import MEASURES
from healthscores.models import Scorecard, ScorecardMeasure


class MeasureDraftSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=sorted(MEASURES))
    weight = serializers.FloatField(min_value=0)
    direction = serializers.ChoiceField(choices=ScorecardMeasure.Direction.choices)
    points = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField(), min_length=2, max_length=2),
        min_length=2,
        help_text="Thresholds as [raw value, score] pairs, raw values ascending.",
    )


class DraftSerializer(serializers.Serializer):
    """A draft of the scorecard: each field left out keeps its saved value."""

    name = StrictCharField(max_length=100, required=False)
    red_below = serializers.FloatField(min_value=0, max_value=100, required=False)
    green_from = serializers.FloatField(min_value=0, max_value=100, required=False)
    key_events = serializers.ListField(child=StrictCharField(max_length=200), required=False)
    sentiment_stale_days = serializers.IntegerField(min_value=1, required=False)
    measures = MeasureDraftSerializer(many=True, required=False, allow_empty=False)


class ComparisonSerializer(serializers.Serializer):
    accounts = serializers.IntegerField(help_text="Accounts the scorecard scores.")
    changed = serializers.IntegerField(help_text="Accounts whose band the draft would change.")
    transitions = serializers.ListField(
        child=serializers.ListField(), help_text="[band before, band after, count]."
    )
    rows = serializers.ListField(
        child=serializers.ListField(),
        help_text="The biggest moves: [account id, name, band, score, draft band, draft score].",
    )


class ReplayStatusSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="job.pk")
    status = serializers.CharField(source="job.status")
    progress = serializers.IntegerField(source="job.progress", help_text="Percent done.")
    accounts_total = serializers.IntegerField(source="job.accounts_total")
    accounts_processed = serializers.IntegerField(source="job.accounts_processed")
    requested_at = serializers.DateTimeField(source="job.requested_at")
    finished_at = serializers.DateTimeField(source="job.finished_at", allow_null=True)
    preview = serializers.DictField(
        allow_null=True,
        help_text="Once succeeded: today's band moves (accounts, changed, transitions, rows).",
    )
    replay = serializers.DictField(
        allow_null=True,
        help_text=(
            "Once succeeded: backtest figures of the saved scorecard (current) and of the "
            "draft over the renewals of start..end, `horizon` days before each."
        ),
    )


def _status(replay: selectors.ScorecardReplay) -> dict[str, Any]:
    done = replay.comparison is not None
    return {
        "job": replay.job,
        "preview": replay.job.result.get("preview") if done else None,
        "replay": replay.job.result.get("replay") if done else None,
    }


def _draft(scorecard: Scorecard, data: dict[str, Any]) -> services.ScorecardDraft:
    saved = services.draft_of(scorecard, scorecard.measures.all())
    changes = dict(data)
    if "key_events" in changes:
        changes["key_events"] = tuple(changes["key_events"])
    if "measures" in changes:
        changes["measures"] = tuple(
            services.MeasureDraft(
                kind=m["kind"],
                weight=m["weight"],
                direction=m["direction"],
                points=tuple((float(raw), float(score)) for raw, score in m["points"]),
            )
            for m in changes["measures"]
        )
    return dataclasses.replace(saved, **changes)


@allow(Role.ADMIN)
class ScorecardPreviewRequestView(ServiceErrorsMixin, APIView):
    @extend_schema(
        tags=["health"],
        operation_id="health_scorecard_preview_create",
        summary="Preview and replay a scorecard draft",
        description=(
            "Queues a job that scores the scorecard's accounts for today with the draft "
            "and replays it over the last year's renewals; poll the answer's `id`. The "
            "same draft over the same data returns the same job."
        ),
        request=DraftSerializer,
        responses={
            202: ReplayStatusSerializer,
            400: OpenApiResponse(description="A bad field, by field name."),
            404: DetailSerializer,
        },
    )
    def post(self, request: Request, scorecard_id: int) -> Response:
        scorecard = Scorecard.objects.get(pk=scorecard_id)  # else 404 (ServiceErrorsMixin)
        body = DraftSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        job = services.scorecard_replay_request(
            scorecard_id=scorecard.pk,
            draft=_draft(scorecard, body.validated_data),
            user=request.user,
        )
        replay = selectors.scorecard_replay(scorecard_id=scorecard.pk, job_id=job.pk)
        return Response(
            ReplayStatusSerializer(_status(replay)).data, status=status.HTTP_202_ACCEPTED
        )


@allow(Role.ADMIN)
class ScorecardPreviewView(ServiceErrorsMixin, APIView):
    @extend_schema(
        tags=["health"],
        operation_id="health_scorecard_preview_retrieve",
        summary="Progress and result of a scorecard draft's preview",
        responses={200: ReplayStatusSerializer, 404: DetailSerializer},
    )
    def get(self, request: Request, scorecard_id: int, job_id: int) -> Response:
        replay = selectors.scorecard_replay(scorecard_id=scorecard_id, job_id=job_id)
        return Response(ReplayStatusSerializer(_status(replay)).data)


@allow(Role.ADMIN)
class ScorecardPreviewCancelView(ServiceErrorsMixin, APIView):
    @extend_schema(
        tags=["health"],
        operation_id="health_scorecard_preview_cancel",
        summary="Cancel a scorecard draft's preview",
        request=None,
        responses={200: ReplayStatusSerializer, 404: DetailSerializer},
    )
    def post(self, request: Request, scorecard_id: int, job_id: int) -> Response:
        services.scorecard_replay_cancel(scorecard_id=scorecard_id, job_id=job_id)
        replay = selectors.scorecard_replay(scorecard_id=scorecard_id, job_id=job_id)
        return Response(ReplayStatusSerializer(_status(replay)).data)
