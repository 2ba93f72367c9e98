"""Telling people about product-risk flags, exactly once per fact.

* Every active PM hears when a flag opens (or re-opens, as a new generation) and each
  time its severity rises above what they were told in that generation:
  dedupe key ``risk:{id}:g{generation}:{severity}``.
* Each CSM hears once per generation that the flag touches their accounts, with the
  list: ``risk:{id}:g{generation}:csm``. A CSM whose accounts join the flag later hears
  then; one told already is not told again.

"Once" rests on the alert inbox's unique (recipient, dedupe key), so a retried task or
two workers raise nothing twice; ``notified_severity`` only saves asking again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.db import transaction
from django.urls import NoReverseMatch, reverse

from accounts.models import User
from core import i18n
from core.roles import Role
from notifications.models import Alert
from notifications.services import AlertDraft, accounts_listing, alerts_raise
from productrisk import rules
from productrisk.models import ProductRisk, ProductRiskAccount

KIND_RISK = "feedback.product_risk"
KIND_RISK_ACCOUNTS = "feedback.product_risk_accounts"
#: Flags handled per transaction: a first run over a big base opens thousands at once.
CHUNK = 500
_ALERT_SEVERITY = {
    rules.LOW: Alert.Severity.INFO,
    rules.MEDIUM: Alert.Severity.WARNING,
    rules.HIGH: Alert.Severity.CRITICAL,
}


def risk_url(risk: ProductRisk) -> str:
    """The flag's page; the idea's page where the risk pages are not installed."""
    try:
        return reverse("productrisk:risk", args=[risk.pk])
    except NoReverseMatch:
        return reverse("feedback:idea", args=[risk.idea_id])


def _pm_drafts(risk: ProductRisk, pm_ids: list[int]) -> list[AlertDraft]:
    title = i18n.deferred(
        "Product risk (%(severity)s): “%(idea)s”",
        severity=i18n.deferred_label(ProductRisk.Severity(risk.severity).label),
        idea=risk.idea.title,
    )
    body = i18n.deferred_join(
        "\n",
        i18n.deferred_plural(
            "%(count)d account affected, %(arr)s ARR, %(at_risk)s ARR at risk.",
            "%(count)d accounts affected, %(arr)s ARR, %(at_risk)s ARR at risk.",
            "count",
            count=risk.accounts_affected,
            arr=i18n.deferred_value("money", risk.arr_affected),
            at_risk=i18n.deferred_value("money", risk.arr_at_risk),
        ),
        i18n.deferred(
            "%(red)d red, %(yellow)d yellow, %(renewing)d renewing soon, "
            "%(late)d late onboardings.",
            red=risk.red_accounts,
            yellow=risk.yellow_accounts,
            renewing=risk.renewing_accounts,
            late=risk.late_onboardings,
        ),
        i18n.deferred(
            "Severity score %(score)s of 100.", score=i18n.deferred_value("number", risk.score, -2)
        ),
    )
    return [
        AlertDraft(
            kind=KIND_RISK,
            recipient_id=pm_id,
            title=title,
            body=body,
            url=risk_url(risk),
            dedupe_key=f"risk:{risk.pk}:g{risk.generation}:{risk.severity}",
            severity=_ALERT_SEVERITY.get(risk.severity, Alert.Severity.WARNING),
        )
        for pm_id in pm_ids
    ]


def _csm_drafts(risks: dict[int, ProductRisk]) -> list[AlertDraft]:
    rows = (
        ProductRiskAccount.objects.filter(
            risk_id__in=list(risks),
            account__csm_owner__isnull=False,
            account__csm_owner__is_active=True,
        )
        .values_list("risk_id", "account__csm_owner_id", "account_id", "account__name")
        .order_by("risk_id", "account__csm_owner_id", "account__name")
    )
    grouped: dict[tuple[int, int], list[tuple[int, str]]] = defaultdict(list)
    for risk_id, csm_id, account_id, name in rows:
        grouped[(risk_id, csm_id)].append((account_id, name))
    drafts = []
    for (risk_id, csm_id), accounts in grouped.items():
        risk = risks[risk_id]
        drafts.append(
            AlertDraft(
                kind=KIND_RISK_ACCOUNTS,
                recipient_id=csm_id,
                title=i18n.deferred_plural(
                    "Product gap “%(idea)s” blocks %(count)d of your accounts",
                    "Product gap “%(idea)s” blocks %(count)d of your accounts",
                    "count",
                    idea=risk.idea.title,
                    count=len(accounts),
                ),
                body=accounts_listing(accounts),
                url=risk_url(risk),
                dedupe_key=f"risk:{risk.pk}:g{risk.generation}:csm",
                severity=Alert.Severity.WARNING,
                account_id=accounts[0][0] if len(accounts) == 1 else None,
            )
        )
    return drafts


def product_risks_notify(*, risk_ids: Sequence[int]) -> int:
    """Raise what the flags call for; returns how many drafts were offered."""
    pm_ids = list(
        User.objects.filter(is_active=True, role=Role.PM)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    offered = 0
    ids = sorted({int(pk) for pk in risk_ids})
    for start in range(0, len(ids), CHUNK):
        with transaction.atomic():
            risks = {
                risk.pk: risk
                for risk in ProductRisk.objects.select_for_update(of=("self",))
                .filter(pk__in=ids[start : start + CHUNK], status__in=ProductRisk.ACTIVE_STATUSES)
                .select_related("idea")
            }
            drafts: list[AlertDraft] = []
            told: dict[str, list[int]] = defaultdict(list)
            for risk in risks.values():
                if rules.severity_rank(risk.severity) > rules.severity_rank(risk.notified_severity):
                    drafts += _pm_drafts(risk, pm_ids)
                    told[risk.severity].append(risk.pk)
            drafts += _csm_drafts(risks) if risks else []
            alerts_raise(drafts)
            for severity, told_ids in told.items():
                ProductRisk.objects.filter(pk__in=told_ids).update(notified_severity=severity)
            offered += len(drafts)
    return offered
