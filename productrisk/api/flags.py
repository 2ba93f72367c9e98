"""``/api/product-risks/``: product-risk flags for staff; PMs and admins act on them.

CSMs read (they see the flags touching their book); PMs and admins also PATCH the
status — acknowledged, dismissed (with a reason) or open again — through the services,
which own the transitions. Customers get 403, anonymous callers 401: a flag names
accounts, their ARR and health.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from core.access import RolePermission, allow
from core.api import IdFilter, StrictCharField
from core.roles import PRODUCT_ROLES, STAFF_ROLES
from productrisk import rules
from productrisk.models import ProductRisk, ProductRiskAccount
from productrisk.services import flags as risk_services

#: Who may change a flag; other staff read only.


class WritesByPM(BasePermission):
    """Reading is for every staff role (checked by RolePermission); writing for PMs."""

    message = gettext_lazy("Only product managers and admins can change a product-risk flag.")

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or request.user.role in PRODUCT_ROLES


#: What a PATCH may set; the other statuses follow the idea (planned, resolved).
#: Named in the schema by SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"], like the model's
#: status and severity: "status" and "severity" name other choice sets elsewhere.
SETTABLE = [ProductRisk.Status.ACKNOWLEDGED, ProductRisk.Status.DISMISSED, ProductRisk.Status.OPEN]


class IdeaRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()


class ProductRiskSerializer(serializers.ModelSerializer):
    idea = IdeaRefSerializer(read_only=True)

    class Meta:
        model = ProductRisk
        fields = [
            "id",
            "idea",
            "status",
            "severity",
            "score",
            "accounts_affected",
            "arr_affected",
            "arr_at_risk",
            "red_accounts",
            "yellow_accounts",
            "renewing_accounts",
            "late_onboardings",
            "generation",
            "dismissed_reason",
            "opened_at",
            "acknowledged_at",
            "dismissed_at",
            "resolved_at",
            "computed_at",
        ]
        read_only_fields = fields


class EvidenceSerializer(serializers.ModelSerializer):
    account = serializers.IntegerField(source="account_id")
    name = serializers.CharField(source="account.name")
    at_risk = serializers.BooleanField()
    band_on = serializers.DateField(
        allow_null=True,
        help_text=(
            "The (UTC) day of the health `band` was read from: evidence is rewritten only "
            "when a fact changes, and a resolved flag's is frozen."
        ),
    )
    band_now = serializers.CharField(
        source="account.health.effective_band",
        allow_null=True,
        help_text="The account's band today (as its page shows it); null when not scored.",
    )
    band_now_on = serializers.DateField(
        source="account.health.day",
        allow_null=True,
        help_text="The (UTC) day of `band_now`.",
    )

    class Meta:
        model = ProductRiskAccount
        fields = [
            "account",
            "name",
            "arr",
            "band",
            "band_on",
            "band_now",
            "band_now_on",
            "renews_soon",
            "late_onboarding",
            "by_vote",
            "by_ticket",
            "at_risk",
        ]
        read_only_fields = fields


class ProductRiskDetailSerializer(ProductRiskSerializer):
    evidence = EvidenceSerializer(many=True, read_only=True)
    explanation = serializers.SerializerMethodField(
        help_text="The rule and how this flag's severity score adds up, in words."
    )

    class Meta(ProductRiskSerializer.Meta):
        fields = [*ProductRiskSerializer.Meta.fields, "evidence", "explanation"]
        read_only_fields = fields

    def get_explanation(self, risk: ProductRisk) -> list[str]:
        return rules.explain(self.context["rule"], risk)


class ProductRiskStatusSerializer(serializers.Serializer):
    # A PATCH sets the status, which it must name (core.schema documents it so).
    whole_on_patch = True

    status = serializers.ChoiceField(
        choices=SETTABLE,
        help_text="acknowledged, dismissed (reason required) or open (re-open).",
    )
    reason = StrictCharField(required=False, allow_blank=True, max_length=2000)

    def validate(self, data):
        if data["status"] == ProductRisk.Status.DISMISSED and not data.get("reason", "").strip():
            raise ValidationError({"reason": _("Say why you dismiss this flag.")})
        return data


class ProductRiskFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=ProductRisk.Status.choices)
    severity = django_filters.MultipleChoiceFilter(choices=ProductRisk.Severity.choices)
    min_arr_at_risk = django_filters.NumberFilter(field_name="arr_at_risk", lookup_expr="gte")
    account = IdFilter(
        method="touching_account", label="Flags whose evidence includes this account id"
    )
    idea = IdFilter(field_name="idea_id")

    class Meta:
        model = ProductRisk
        fields = ["status", "severity", "min_arr_at_risk", "account", "idea"]

    def touching_account(self, queryset, name, value):
        return queryset.filter(
            pk__in=ProductRiskAccount.objects.filter(account_id=value).values("risk_id")
        )


@extend_schema_view(
    list=extend_schema(
        summary="Product-risk flags",
        description="Filter by status and severity (repeatable), minimum ARR at risk, an "
        "account the flag touches or an idea; order by arr_at_risk, score, "
        "accounts_affected, opened_at or computed_at (prefix - for descending).",
    ),
    retrieve=extend_schema(
        summary="One flag with its evidence",
        responses=ProductRiskDetailSerializer,
    ),
    partial_update=extend_schema(
        summary="Acknowledge, dismiss (with a reason) or re-open a flag",
        request=ProductRiskStatusSerializer,
        responses={
            200: ProductRiskDetailSerializer,
            400: OpenApiResponse(
                description="Invalid status, missing reason, or a "
                "transition the flag's state does not allow."
            ),
            403: OpenApiResponse(description="Not a PM or an admin."),
        },
    ),
)
@extend_schema(tags=["product risk"])
@allow(STAFF_ROLES)
class ProductRiskViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [RolePermission, WritesByPM]
    http_method_names = ["get", "patch", "head", "options"]
    filterset_class = ProductRiskFilter
    search_fields = ["idea__title"]
    ordering_fields = ["arr_at_risk", "score", "accounts_affected", "opened_at", "computed_at"]
    ordering = ["-arr_at_risk", "-pk"]

    def get_queryset(self):
        # Evidence only where it is shown: a PATCH changes the status, and reloads the
        # flag with its evidence once, for the answer.
        queryset = ProductRisk.objects.select_related("idea")
        return _with_evidence(queryset) if self.action == "retrieve" else queryset

    def get_serializer_class(self):
        if self.action == "list":
            return ProductRiskSerializer
        if self.action == "partial_update":
            return ProductRiskStatusSerializer
        return ProductRiskDetailSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.action != "list":
            context["rule"] = risk_services.risk_rule()
        return context

    def partial_update(self, request, *args, **kwargs):
        risk = self.get_object()
        form = ProductRiskStatusSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        status = form.validated_data["status"]
        try:
            if status == ProductRisk.Status.ACKNOWLEDGED:
                risk_services.risk_acknowledge(risk, request.user)
            elif status == ProductRisk.Status.DISMISSED:
                risk_services.risk_dismiss(risk, request.user, form.validated_data["reason"])
            else:
                risk_services.risk_reopen(risk, request.user)
        except DjangoValidationError as exc:
            raise ValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else {"status": exc.messages}
            ) from None
        risk = _with_evidence(self.get_queryset()).get(pk=risk.pk)
        return Response(
            ProductRiskDetailSerializer(risk, context=self.get_serializer_context()).data
        )


def _with_evidence(queryset):
    """Flags with their affected accounts, largest first: the detail's evidence."""
    evidence = ProductRiskAccount.objects.select_related("account", "account__health").order_by(
        "-arr", "account__name"
    )
    return queryset.prefetch_related(Prefetch("evidence", evidence))
