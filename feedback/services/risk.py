"""Status changes of product-risk flags and the rule's edits.

MINIMAL STAND-INS written on the ``riskpages`` branch so the risk pages can be built and
tested before the engine lands. The ``riskengine`` branch owns this module (same names,
same keyword arguments); on merge its version wins and these go.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.models import ProductRisk, RiskRule

Status = ProductRisk.Status


def risk_rule() -> RiskRule:
    """The one rule row, created with the documented defaults on first use."""
    rule = RiskRule.objects.order_by("pk").first()
    return rule if rule is not None else RiskRule.objects.create()


@transaction.atomic
def risk_rule_update(*, actor, **fields: Any) -> RiskRule:
    rule = risk_rule()
    for name, value in fields.items():
        setattr(rule, name, value)
    rule.updated_by = actor
    rule.full_clean()
    rule.save()
    return rule


def _locked(risk: ProductRisk) -> ProductRisk:
    return ProductRisk.objects.select_for_update().get(pk=risk.pk)


@transaction.atomic
def risk_acknowledge(*, risk: ProductRisk, actor) -> ProductRisk:
    risk = _locked(risk)
    if risk.status != Status.OPEN:
        raise ValidationError(_("Only an open flag can be acknowledged."), code="status")
    risk.status = Status.ACKNOWLEDGED
    risk.acknowledged_at = timezone.now()
    risk.save(update_fields=["status", "acknowledged_at"])
    return risk


@transaction.atomic
def risk_dismiss(*, risk: ProductRisk, actor, reason: str) -> ProductRisk:
    if not reason.strip():
        raise ValidationError(_("Say why the flag is dismissed."), code="reason")
    risk = _locked(risk)
    if risk.status not in ProductRisk.ACTIVE_STATUSES:
        raise ValidationError(_("Only an active flag can be dismissed."), code="status")
    risk.status = Status.DISMISSED
    risk.dismissed_reason = reason.strip()
    risk.dismissed_by = actor
    risk.dismissed_at = timezone.now()
    risk.dismissed_accounts = risk.accounts_affected
    risk.dismissed_arr = risk.arr_affected
    risk.save()
    return risk


@transaction.atomic
def risk_reopen(*, risk: ProductRisk, actor) -> ProductRisk:
    risk = _locked(risk)
    if risk.status != Status.DISMISSED:
        raise ValidationError(_("Only a dismissed flag can be re-opened."), code="status")
    risk.status = Status.OPEN
    risk.opened_at = timezone.now()
    risk.generation += 1
    risk.save(update_fields=["status", "opened_at", "generation"])
    return risk
