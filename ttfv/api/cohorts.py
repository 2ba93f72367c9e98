"""REST endpoints of time to first value: GET /api/ttfv/cohorts/?by=month|segment|plan,
the cohort table of the reports page."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.access import allow
from core.api import DetailSerializer
from core.roles import STAFF_ROLES
from ttfv import cohorts, selectors, services


class CohortRowSerializer(serializers.Serializer):
    group = serializers.CharField(
        help_text='Start month ("YYYY-MM"), segment or plan ("" when the account has none).'
    )
    started = serializers.IntegerField(help_text="Onboardings started on or before today.")
    achieved = serializers.IntegerField(help_text="Of those, how many reached first value.")
    median_ttfv_days = serializers.FloatField(
        allow_null=True, help_text="Median days to first value of the achieved ones."
    )
    decided = serializers.IntegerField(
        help_text="Achieved, or past their target day without first value: the denominator "
        "of within_target_pct. Open onboardings still inside their target are not decided."
    )
    within_target = serializers.IntegerField(help_text="Achieved within their target days.")
    within_target_pct = serializers.FloatField(
        allow_null=True, help_text="within_target / decided x 100; null when none decided."
    )
    still_open = serializers.IntegerField(help_text="Started without first value.")
    mature = serializers.BooleanField(
        help_text="Every onboarding of the group is decided, so its figures are final."
    )


class CohortsSerializer(serializers.Serializer):
    by = serializers.ChoiceField(choices=cohorts.GROUPINGS)
    rows = CohortRowSerializer(many=True)


@allow(STAFF_ROLES)
class CohortsView(APIView):
    """TTFV cohorts: per start month, segment or plan."""

    @extend_schema(
        tags=["ttfv"],
        operation_id="ttfv_cohorts",
        summary="Time-to-first-value cohorts",
        description=(
            "Onboardings started, achieved, median TTFV, % within target and still open, "
            "grouped by start month (every month from the first to the last start, "
            "months without starts as zeros), segment or plan. The same numbers as the "
            "reports page; see each field for its definition."
        ),
        parameters=[
            OpenApiParameter(
                "by",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                enum=list(cohorts.GROUPINGS),
                default="month",
                description="How to group the onboardings.",
            )
        ],
        responses={
            200: CohortsSerializer,
            400: OpenApiResponse(DetailSerializer, description="Unknown `by`."),
        },
    )
    def get(self, request):
        by = request.query_params.get("by", "month")
        if by not in cohorts.GROUPINGS:
            return Response(
                {
                    "detail": _("Unknown grouping “%(by)s”; use one of: %(choices)s.")
                    % {"by": by, "choices": ", ".join(cohorts.GROUPINGS)}
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        rows = selectors.cohort_rows(by=by, today=services.today_utc())
        return Response(CohortsSerializer({"by": by, "rows": rows}).data)
