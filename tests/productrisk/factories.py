"""Product-risk flags and their evidence as the engine would store them, so the pages
can be tested without running the recompute."""

from __future__ import annotations

from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from productrisk.models import ProductRisk, ProductRiskAccount
from tests.accounts.factories import AccountFactory
from tests.feedback.factories import IdeaFactory


class ProductRiskFactory(DjangoModelFactory):
    """An open flag; counters are whatever the test says (use ``flag_with_accounts`` to
    have them match evidence rows)."""

    class Meta:
        model = ProductRisk

    idea = factory.SubFactory(IdeaFactory)
    status = ProductRisk.Status.OPEN
    severity = ProductRisk.Severity.MEDIUM
    score = 40.0
    accounts_affected = 3
    arr_affected = Decimal("150000")
    arr_at_risk = Decimal("50000")
    opened_at = factory.LazyFunction(timezone.now)
    computed_at = factory.LazyFunction(timezone.now)


class ProductRiskAccountFactory(DjangoModelFactory):
    class Meta:
        model = ProductRiskAccount

    risk = factory.SubFactory(ProductRiskFactory)
    account = factory.SubFactory(AccountFactory)
    by_vote = True
    by_ticket = False
    arr = factory.LazyAttribute(lambda o: o.account.arr)
    band = "green"
    renews_soon = False
    late_onboarding = False


def flag_with_accounts(accounts, **fields) -> ProductRisk:
    """A flag whose counters are the sums of one evidence row per account.

    ``accounts`` is a list of Account or ``(Account, {evidence fields})`` pairs.
    """
    pairs = [item if isinstance(item, tuple) else (item, {}) for item in accounts]
    rows = [
        ProductRiskAccount(
            account=account,
            arr=account.arr,
            by_vote=extra.get("by_vote", True),
            by_ticket=extra.get("by_ticket", False),
            band=extra.get("band", "green"),
            renews_soon=extra.get("renews_soon", False),
            late_onboarding=extra.get("late_onboarding", False),
        )
        for account, extra in pairs
    ]
    counters = {
        "accounts_affected": len(rows),
        "arr_affected": sum((row.arr for row in rows), Decimal("0")),
        "arr_at_risk": sum((row.arr for row in rows if row.at_risk), Decimal("0")),
        "red_accounts": sum(row.band == "red" for row in rows),
        "yellow_accounts": sum(row.band == "yellow" for row in rows),
        "renewing_accounts": sum(row.renews_soon for row in rows),
        "late_onboardings": sum(row.late_onboarding for row in rows),
    }
    risk = ProductRiskFactory(**(counters | fields))
    for row in rows:
        row.risk = risk
    ProductRiskAccount.objects.bulk_create(rows)
    return risk
