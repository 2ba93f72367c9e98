"""Writes of product risk: the recompute, what a PM does with a flag, the rule."""

from productrisk.services.flags import (
    product_risk_recompute,
    product_risk_recompute_after_commit,
    product_risk_recompute_deferred,
    product_risk_recompute_request,
    product_risk_recompute_soon,
    risk_acknowledge,
    risk_dismiss,
    risk_idea_status_sync,
    risk_reopen,
    risk_rule,
    risk_rule_update,
    rule_fires,
)
from productrisk.services.notifications import product_risks_notify

__all__ = [
    "product_risk_recompute",
    "product_risk_recompute_after_commit",
    "product_risk_recompute_deferred",
    "product_risk_recompute_request",
    "product_risk_recompute_soon",
    "product_risks_notify",
    "risk_acknowledge",
    "risk_dismiss",
    "risk_idea_status_sync",
    "risk_reopen",
    "risk_rule",
    "risk_rule_update",
    "rule_fires",
]
