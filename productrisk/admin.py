from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from productrisk.models import ProductRisk, RiskRule
from productrisk.services.flags import risk_rule_update


@admin.register(RiskRule)
class RiskRuleAdmin(admin.ModelAdmin):
    """The one rule row (pk 1): admins edit it, never add a second or delete it."""

    list_display = ["__str__", "min_accounts", "arr_threshold", "medium_score", "high_score"]
    readonly_fields = ["updated_at", "updated_by"]

    def has_add_permission(self, request) -> bool:
        return not RiskRule.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            risk_rule_update(request.user, **fields)
        except ValidationError as exc:
            self.message_user(request, "; ".join(exc.messages), level="error")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        base_clean = form.clean

        def clean(this):
            data = base_clean(this)
            high, medium = data.get("high_score"), data.get("medium_score")
            if high is not None and medium is not None and high <= medium:
                raise ValidationError(
                    {"high_score": _("The score for high must be above the score for medium.")}
                )
            return data

        form.clean = clean
        return form


@admin.register(ProductRisk)
class ProductRiskAdmin(admin.ModelAdmin):
    list_display = ["idea", "status", "severity", "accounts_affected", "arr_at_risk", "opened_at"]
    list_filter = ["status", "severity"]
    raw_id_fields = ["idea", "dismissed_by"]
    readonly_fields = [field.name for field in ProductRisk._meta.fields]

    # Flags change through the recompute and the PM's actions (productrisk.services.flags),
    # which keep notifications and the dismissal snapshot right: here they are read-only.
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
