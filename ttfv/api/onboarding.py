"""REST endpoint of one account's onboarding: status, TTFV and the milestone timeline."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.selectors import account_for_user
from core.access import allow
from core.api import UserIdField
from core.roles import STAFF_ROLES
from ttfv import selectors, services
from ttfv.models import Milestone, MilestoneProgress, Onboarding


class OnboardingSerializer(serializers.ModelSerializer):
    template = serializers.CharField(source="template.name", read_only=True)

    class Meta:
        model = Onboarding
        fields = [
            "template",
            "started_on",
            "start_is_manual",
            "target_days",
            "first_value_on",
            "ttfv_days",
            "status",
            "computed_at",
        ]
        read_only_fields = fields


class MilestoneStepSerializer(serializers.Serializer):
    name = serializers.CharField(source="milestone.name")
    position = serializers.IntegerField(source="milestone.position")
    target_offset_days = serializers.IntegerField(
        source="milestone.target_offset_days", help_text="Days after the start."
    )
    target_on = serializers.DateField(
        source="state.target_on", allow_null=True, help_text="Start + offset; null without start."
    )
    rule = serializers.ChoiceField(source="milestone.rule", choices=Milestone.Rule.choices)
    rule_summary = serializers.CharField()
    is_first_value = serializers.BooleanField(source="milestone.is_first_value")
    achieved_on = serializers.DateField(source="reached.achieved_on", allow_null=True)
    source = serializers.ChoiceField(
        source="reached.source", choices=MilestoneProgress.Source.choices, allow_null=True
    )
    checked_by = UserIdField(
        source="reached.checked_by", help_text="Who checked it off (a user id)."
    )
    state = serializers.ChoiceField(
        source="state.state", choices=["reached", "overdue", "due", "pending"]
    )


class AccountOnboardingSerializer(serializers.Serializer):
    account = serializers.IntegerField(source="account.pk")
    onboarding = OnboardingSerializer(
        allow_null=True, help_text="Null until the account's onboarding is first computed."
    )
    milestones = MilestoneStepSerializer(source="steps", many=True)


@allow(STAFF_ROLES)
class AccountOnboardingView(APIView):
    """An account's onboarding: start, target, first value, TTFV, status and milestones."""

    @extend_schema(
        tags=["onboarding"],
        operation_id="account_onboarding_retrieve",
        responses={
            200: AccountOnboardingSerializer,
            404: OpenApiResponse(description="No such account."),
        },
    )
    def get(self, request, account_id: int):
        account = account_for_user(user=request.user, account_id=account_id)
        data = selectors.account_onboarding(account=account, today=services.today_utc())
        return Response(AccountOnboardingSerializer(data).data)
