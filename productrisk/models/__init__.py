"""Product-risk flags, their evidence and the rule that opens them."""

from productrisk.models.flags import ProductRisk, ProductRiskAccount, RiskRule

__all__ = ["ProductRisk", "ProductRiskAccount", "RiskRule"]
