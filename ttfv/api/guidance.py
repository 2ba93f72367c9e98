"""REST endpoint of the guidance report: GET /api/ttfv/guidance/, the table of the
/onboarding/guidance/ page (definitions in ``ttfv.guidance``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.access import allow
from core.roles import STAFF_ROLES
from ttfv import selectors, services


class GuidanceQuerySerializer(serializers.Serializer[Any]):
    day_from = serializers.DateField(
        required=False,
        help_text="First nudges from this day (YYYY-MM-DD); default "
        f"{selectors.GUIDANCE_DEFAULT_DAYS} days before day_to.",
    )
    day_to = serializers.DateField(
        required=False, help_text="First nudges until this day, included; default today."
    )
    template = serializers.IntegerField(
        required=False, min_value=1, help_text="Only this milestone template's milestones."
    )
    csm = serializers.IntegerField(
        required=False, min_value=1, help_text="Only the accounts this CSM owns."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        day_from, day_to = attrs.get("day_from"), attrs.get("day_to")
        if day_from and day_to and day_to < day_from:
            raise serializers.ValidationError({"day_to": [_("Pick a day on or after day_from.")]})
        return attrs


def _pct(help_text: str) -> serializers.FloatField:
    return serializers.FloatField(allow_null=True, help_text=help_text)


class GuidanceRowSerializer(serializers.Serializer[Any]):
    milestone_id = serializers.IntegerField()
    milestone = serializers.CharField(help_text="The milestone's name.")
    template = serializers.CharField(help_text="Its template's name.")
    nudged_n = serializers.IntegerField(help_text="Accounts first nudged in the range.")
    nudged_pct_7 = _pct("% of decided nudged accounts that reached it within 7 days.")
    nudged_pct_14 = _pct("% of decided nudged accounts that reached it within 14 days.")
    comparison_n = serializers.IntegerField(
        help_text="Comparable account-weeks (same template, never nudged, not there yet)."
    )
    comparison_pct_7 = _pct("% of decided comparison accounts that reached it within 7 days.")
    comparison_pct_14 = _pct("% of decided comparison accounts that reached it within 14 days.")
    lift_7 = _pct("nudged_pct_7 - comparison_pct_7, in percentage points.")
    lift_14 = _pct("nudged_pct_14 - comparison_pct_14, in percentage points.")


class GuidanceSerializer(serializers.Serializer[Any]):
    day_from = serializers.DateField()
    day_to = serializers.DateField()
    rows = GuidanceRowSerializer(many=True)


@allow(STAFF_ROLES)
class GuidanceView(APIView):
    """The guidance report: nudged against comparable accounts, per milestone."""

    @extend_schema(
        tags=["ttfv"],
        operation_id="ttfv_guidance",
        summary="Guidance report",
        description=(
            "Per milestone: accounts first shown a nudge toward it in the range and not "
            "there yet, against accounts on the same template never nudged toward it and "
            "not there yet at the start of the same ISO week; the share of each that "
            "reached it within 7 and 14 days, and the difference. Accounts still inside a "
            "window without the milestone are left out of that window's rate."
        ),
        parameters=[GuidanceQuerySerializer],
        responses={
            200: GuidanceSerializer,
            400: OpenApiResponse(description="A parameter is invalid; errors by name."),
        },
    )
    def get(self, request):
        query = GuidanceQuerySerializer(data=request.query_params)
        if not query.is_valid():
            return Response(query.errors, status=status.HTTP_400_BAD_REQUEST)
        today = services.today_utc()
        day_to = query.validated_data.get("day_to") or today
        filters = selectors.GuidanceFilters(
            day_from=query.validated_data.get("day_from")
            or day_to - timedelta(days=selectors.GUIDANCE_DEFAULT_DAYS),
            day_to=day_to,
            template_id=query.validated_data.get("template"),
            csm_id=query.validated_data.get("csm"),
        )
        report = selectors.guidance_report(filters=filters, today=today)
        data = {"day_from": filters.day_from, "day_to": filters.day_to, "rows": report.rows}
        return Response(GuidanceSerializer(data).data)
