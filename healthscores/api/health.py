"""REST endpoints of health: one account's health in full, and accounts by health.

Staff only. A customer is refused even for their own account: health is the vendor's
judgement of the customer, never shown to them.
"""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Account
from core.access import allow
from core.api import IdFilter, UserIdField
from core.roles import STAFF_ROLES
from healthscores import selectors
from healthscores.models import AccountHealth, Band


class ScorecardRefSerializer(serializers.Serializer):
    name = serializers.CharField()
    version = serializers.IntegerField()


class CurrentHealthSerializer(serializers.Serializer):
    day = serializers.DateField(help_text="The (UTC) day the score is for.")
    score = serializers.FloatField(allow_null=True, help_text="0-100; null when no data.")
    band = serializers.ChoiceField(Band.choices, help_text="The band the data gives.")
    effective_band = serializers.ChoiceField(
        Band.choices, help_text="The band shown: an override in force, else `band`."
    )
    is_override = serializers.BooleanField()
    override_reason = serializers.CharField(allow_blank=True)
    divergent = serializers.BooleanField(
        help_text="The CSM's sentiment says green while the data says red, or the reverse."
    )
    trend_7d = serializers.FloatField(allow_null=True, help_text="Score change in 7 days.")
    trend_30d = serializers.FloatField(allow_null=True, help_text="Score change in 30 days.")
    computed_at = serializers.DateTimeField()
    scorecard = ScorecardRefSerializer(allow_null=True)


class ComponentSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField(allow_blank=True)
    raw = serializers.FloatField(allow_null=True)
    score = serializers.FloatField(allow_null=True)
    weight = serializers.FloatField(help_text="Share (0-1) of the score after renormalising.")
    contribution = serializers.FloatField(allow_null=True, help_text="Points of the score.")
    missing = serializers.BooleanField(help_text="No data: left out, weights renormalised.")


class HistoryPointSerializer(serializers.Serializer):
    day = serializers.DateField()
    score = serializers.FloatField(allow_null=True)
    band = serializers.ChoiceField(Band.choices)
    override_band = serializers.CharField(allow_blank=True)


class AccountHealthDetailSerializer(serializers.Serializer):
    account = serializers.IntegerField()
    current = CurrentHealthSerializer(allow_null=True, help_text="Null until first scored.")
    components = ComponentSerializer(many=True)
    history = HistoryPointSerializer(many=True, help_text="The last 90 days, oldest first.")


@allow(STAFF_ROLES)
class AccountHealthView(APIView):
    """An account's current health, the measures behind it and its last 90 days."""

    @extend_schema(
        tags=["health"],
        operation_id="account_health_retrieve",
        responses={
            200: AccountHealthDetailSerializer,
            404: OpenApiResponse(description="No such account."),
        },
    )
    def get(self, request, account_id: int):
        detail = selectors.account_health_detail(user=request.user, account_id=account_id)
        return Response(AccountHealthDetailSerializer(detail).data)


class AccountHealthSummarySerializer(serializers.ModelSerializer):
    trend_7d = serializers.FloatField(read_only=True, allow_null=True)
    trend_30d = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = AccountHealth
        fields = [
            "day",
            "score",
            "band",
            "effective_band",
            "is_override",
            "divergent",
            "trend_7d",
            "trend_30d",
            "computed_at",
        ]
        read_only_fields = fields


class AccountWithHealthSerializer(serializers.ModelSerializer):
    csm_owner = UserIdField(help_text="The CSM who owns the account (a user id).")
    health = AccountHealthSummarySerializer(
        read_only=True, allow_null=True, help_text="Null until the account is first scored."
    )

    class Meta:
        model = Account
        fields = ["id", "name", "segment", "arr", "renews_on", "csm_owner", "health"]
        read_only_fields = fields


class HealthFilter(django_filters.FilterSet):
    band = django_filters.ChoiceFilter(
        field_name="health__effective_band",
        choices=Band.choices,
        label=_("The band shown (an override in force, else the computed band)."),
    )
    segment = django_filters.CharFilter(field_name="segment", label=_("Account segment."))
    csm = IdFilter(field_name="csm_owner_id", label=_("CSM owner's user ID."))

    class Meta:
        model = Account
        fields = ["band", "segment", "csm"]


@allow(STAFF_ROLES)
@extend_schema(tags=["health"])
class HealthListView(generics.ListAPIView):
    """Accounts with their current health, by name; filter by band, segment and CSM.

    An unknown band or a non-numeric CSM is a 400 naming the parameter.
    """

    serializer_class = AccountWithHealthSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = HealthFilter

    def get_queryset(self):
        return selectors.health_list(user=self.request.user)
