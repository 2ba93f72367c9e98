"""REST endpoint of the scorecard report: the same backtest as the page, with more misses.

Staff only, as the page: a customer never sees how the vendor judges customers.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.access import allow
from core.roles import STAFF_ROLES
from healthscores.backtest import HORIZONS
from healthscores.forms.backtest import BacktestForm
from healthscores.selectors.backtest import miss_rows, scorecard_backtest

#: Misses listed per kind: enough to work through, small enough to answer fast at
#: 20,000 outcomes; the counts say how many there are in all.
MISSES_LISTED = 1000


class SeparationSerializer(serializers.Serializer):
    key = serializers.CharField()
    auc = serializers.FloatField(allow_null=True)
    churned_mean = serializers.FloatField(allow_null=True)
    stayed_mean = serializers.FloatField(allow_null=True)


class MissSerializer(serializers.Serializer):
    account_id = serializers.IntegerField()
    account_name = serializers.CharField()
    renewed_on = serializers.DateField()
    outcome = serializers.CharField()
    band = serializers.CharField(help_text="The computed band `horizon` days before.")
    score = serializers.FloatField(allow_null=True)


class SuggestionSerializer(serializers.Serializer):
    churned = serializers.IntegerField()
    too_small = serializers.BooleanField(
        help_text="Fewer than 20 churned accounts: no weights or figures are given."
    )
    weights = serializers.DictField(
        child=serializers.FloatField(), help_text="measure key -> share of the weight (0-100)."
    )
    auc_current = serializers.FloatField(allow_null=True, help_text="Held-out AUC of the score.")
    auc_suggested = serializers.FloatField(
        allow_null=True, help_text="Held-out AUC of the suggested weights."
    )


class BacktestSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    horizon = serializers.IntegerField()
    outcomes = serializers.IntegerField(help_text="Renewals with a snapshot `horizon` days before.")
    churned = serializers.IntegerField()
    matrix = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()),
        help_text="band -> outcome -> count.",
    )
    churn_rate = serializers.DictField(child=serializers.FloatField(allow_null=True))
    overall_churn_rate = serializers.FloatField(allow_null=True)
    precision_red = serializers.FloatField(allow_null=True)
    recall_red = serializers.FloatField(allow_null=True)
    precision_red_yellow = serializers.FloatField(allow_null=True)
    recall_red_yellow = serializers.FloatField(allow_null=True)
    lift_red = serializers.FloatField(allow_null=True)
    auc = serializers.FloatField(allow_null=True, help_text="ROC AUC of the score for churn.")
    measures = SeparationSerializer(many=True)
    missed_churn = MissSerializer(
        many=True, help_text="Churned accounts that were green, oldest renewal first (capped)."
    )
    missed_churn_count = serializers.IntegerField()
    saved_red = MissSerializer(
        many=True, help_text="Red accounts that renewed, oldest renewal first (capped)."
    )
    saved_red_count = serializers.IntegerField()
    suggestion = SuggestionSerializer(
        allow_null=True,
        help_text="Weights the outcomes suggest; never applied until saved in the editor.",
    )


@allow(STAFF_ROLES)
class BacktestView(APIView):
    """Does red predict churn: renewals of a period against the band each account had
    `horizon` days before (30, 60, 90 or 180; by default the last year, 60 days)."""

    @extend_schema(
        tags=["health"],
        operation_id="health_backtest_retrieve",
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE),
            OpenApiParameter("end", OpenApiTypes.DATE),
            OpenApiParameter("horizon", OpenApiTypes.INT, enum=list(HORIZONS)),
        ],
        responses={
            200: BacktestSerializer,
            400: OpenApiResponse(description="A bad date, horizon or period, by parameter."),
        },
    )
    def get(self, request):
        form = BacktestForm.from_query(request.query_params)
        if not form.is_valid():
            return Response(form.errors, status=status.HTTP_400_BAD_REQUEST)
        report = scorecard_backtest(**form.cleaned_data)
        data = {
            **vars(report),
            **form.cleaned_data,
            "missed_churn": miss_rows(report.missed_churn, MISSES_LISTED),
            "missed_churn_count": len(report.missed_churn),
            "saved_red": miss_rows(report.saved_red, MISSES_LISTED),
            "saved_red_count": len(report.saved_red),
        }
        return Response(BacktestSerializer(data).data)
