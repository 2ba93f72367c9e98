"""Status changes of product-risk flags and the rule's edits.

STAND-INS on the ``riskpages`` branch, mirroring the ``riskengine`` branch's functions of
the same names (same arguments, same rules, same messages) so the risk pages are built
and tested before the engine lands. The engine's module replaces this one on merge.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.models import Idea, ProductRisk, RiskRule
from feedback.statuses import IdeaStatus

Status = ProductRisk.Status
ACTIVE = tuple(ProductRisk.ACTIVE_STATUSES)
PLANNED_IDEA_STATUSES = (IdeaStatus.PLANNED, IdeaStatus.IN_PROGRESS)
CLOSED_STATUSES = (IdeaStatus.SHIPPED, IdeaStatus.DECLINED, IdeaStatus.MERGED)
RULE_PK = 1
RULE_FIELDS = (
    "min_accounts",
    "arr_threshold",
    "renewal_window_days",
    "arr_reference",
    "medium_score",
    "high_score",
)


def risk_rule() -> RiskRule:
    """The one rule row, created with the documented defaults on first use."""
    rule, _created = RiskRule.objects.get_or_create(pk=RULE_PK)
    return rule


@transaction.atomic
def risk_rule_update(actor, **fields) -> RiskRule:
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown rule fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    risk_rule()
    rule = RiskRule.objects.select_for_update().get(pk=RULE_PK)
    for name, value in fields.items():
        setattr(rule, name, value)
    rule.full_clean(exclude=["updated_by"])
    if int(rule.high_score) <= int(rule.medium_score):
        raise ValidationError(
            {"high_score": _("The score for high must be above the score for medium.")},
            code="score_order",
        )
    rule.updated_by = actor if getattr(actor, "pk", None) else None
    rule.save()
    return rule


def _locked(risk: ProductRisk) -> ProductRisk:
    return ProductRisk.objects.select_for_update().get(pk=risk.pk)


def _refuse(risk: ProductRisk, action: str) -> ValidationError:
    return ValidationError(
        _("A %(status)s flag cannot be %(action)s.")
        % {"status": risk.get_status_display().lower(), "action": action},
        code="status",
    )


@transaction.atomic
def risk_acknowledge(risk: ProductRisk, actor) -> ProductRisk:
    risk = _locked(risk)
    if risk.status == Status.ACKNOWLEDGED:
        return risk
    if risk.status != Status.OPEN:
        raise _refuse(risk, _("acknowledged"))
    risk.status = Status.ACKNOWLEDGED
    risk.acknowledged_at = timezone.now()
    risk.save(update_fields=["status", "acknowledged_at"])
    return risk


@transaction.atomic
def risk_dismiss(risk: ProductRisk, actor, reason: str) -> ProductRisk:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you dismiss this flag.")}, code="required")
    risk = _locked(risk)
    if risk.status not in ACTIVE:
        raise _refuse(risk, _("dismissed"))
    risk.status = Status.DISMISSED
    risk.dismissed_reason = reason
    risk.dismissed_by = actor if getattr(actor, "pk", None) else None
    risk.dismissed_at = timezone.now()
    risk.dismissed_accounts = risk.accounts_affected
    risk.dismissed_arr = risk.arr_affected
    risk.save()
    return risk


@transaction.atomic
def risk_reopen(risk: ProductRisk, actor) -> ProductRisk:
    risk = _locked(risk)
    if risk.status in (Status.OPEN, Status.PLANNED):
        return risk
    if risk.status not in (Status.DISMISSED, Status.ACKNOWLEDGED):
        raise _refuse(risk, _("re-opened"))
    idea_status = Idea.objects.filter(pk=risk.idea_id).values_list("status", flat=True).first()
    if idea_status in CLOSED_STATUSES:
        raise ValidationError(
            _("The idea is %(status)s: its flag cannot be re-opened.") % {"status": idea_status},
            code="idea_closed",
        )
    risk.status = Status.PLANNED if idea_status in PLANNED_IDEA_STATUSES else Status.OPEN
    risk.acknowledged_at = None
    risk.save(update_fields=["status", "acknowledged_at"])
    return risk
