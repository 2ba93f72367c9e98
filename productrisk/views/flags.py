"""Product-risk pages: the PM dashboard, a flag and its actions, the rule, a CSM's
blocked accounts, the impact of shipping, and the Customer 360 panel.

Everyone on staff reads them (a CSM needs to know which gaps block their renewals);
acknowledging, dismissing and re-opening a flag is for product managers and admins, and
editing the rule for admins only. Views parse input, call one service or selector, render.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import Account
from core.access import allow, policy_of
from core.redirects import safe_next
from core.roles import STAFF_ROLES, Role
from productrisk import selectors, services
from productrisk.models import ProductRisk, RiskRule
from productrisk.rules import explain, score_parts

PAGE_SIZE = 25
EVIDENCE_PAGE_SIZE = 50
SECTION_TEMPLATE = "productrisk/risk_account_section.html"


# --- Forms -----------------------------------------------------------------------------


class DashboardFilterForm(forms.Form):
    """The dashboard's GET parameters; an unknown value falls back to the default."""

    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=selectors.TABS, required=False)
    severity = forms.ChoiceField(
        label=gettext_lazy("Severity"),
        choices=[("", gettext_lazy("All severities")), *reversed(ProductRisk.Severity.choices)],
        required=False,
    )

    def values(self) -> dict[str, str]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "status": data.get("status") or "active",
            "severity": data.get("severity") or "",
        }


class DismissForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why dismiss this flag?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Required. The flag re-opens by itself only if more accounts or more ARR "
            "come behind it than today."
        ),
        error_messages={"required": gettext_lazy("Say why the flag is dismissed.")},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Say why the flag is dismissed."), code="required")
        return reason


class RiskRuleForm(forms.ModelForm):
    class Meta:
        model = RiskRule
        fields = [
            "min_accounts",
            "arr_threshold",
            "renewal_window_days",
            "arr_reference",
            "medium_score",
            "high_score",
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        medium, high = cleaned.get("medium_score"), cleaned.get("high_score")
        if medium is not None and high is not None and medium >= high:
            self.add_error(
                "high_score", _("The score for high must be above the score for medium.")
            )
        return cleaned


# --- The dashboard ---------------------------------------------------------------------


@allow(STAFF_ROLES)
def risks(request: HttpRequest) -> HttpResponse:
    form = DashboardFilterForm(request.GET)
    params = form.values()
    flags = selectors.risk_list(tab=params["status"], severity=params["severity"])
    page = Paginator(flags, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "productrisk/risks.html",
        {
            "form": form,
            "page": page,
            "summary": selectors.dashboard_summary(tab=params["status"]),
            "status": params["status"],
            "severity": params["severity"],
            "rule": services.risk_rule(),
            "can_edit_rule": policy_of(risk_rule_edit).permits(request.user),
            "can_act": policy_of(risk_acknowledge).permits(request.user),
            "editor_url": _editor_url(),
        },
    )


# --- One flag --------------------------------------------------------------------------


def _editor_url() -> str:
    """The roadmap editor, named by URL only: feedback imports nothing of roadmap."""
    return reverse("roadmap:editor")


def _editor_link(risk: ProductRisk) -> str:
    """The roadmap editor with the flag's idea preselected."""
    return f"{_editor_url()}?link_idea={risk.idea_id}"


def _render_risk(
    request: HttpRequest, risk: ProductRisk, *, dismiss_form: DismissForm | None = None
) -> HttpResponse:
    rule = services.risk_rule()
    evidence = Paginator(selectors.risk_evidence(risk=risk), EVIDENCE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    report = None
    if risk.status == ProductRisk.Status.RESOLVED:
        report = selectors.impact_report([risk])
    can_act = policy_of(risk_acknowledge).permits(request.user)
    return render(
        request,
        "productrisk/risk_detail.html",
        {
            "risk": risk,
            "idea": risk.idea,
            "rule": rule,
            "explanation": explain(rule),
            "score_parts": score_parts(rule, risk),
            "evidence": evidence,
            "roadmap_items": selectors.roadmap_items_of(risk=risk),
            "history": selectors.risk_history(risk),
            "impact": report,
            "ship_date": report.ship_dates.get(risk.pk) if report else None,
            "can_act": can_act,
            "editor_url": _editor_link(risk) if can_act else None,
            "dismiss_form": dismiss_form or DismissForm(),
        },
        status=400 if dismiss_form is not None and dismiss_form.errors else 200,
    )


@allow(STAFF_ROLES)
def risk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_risk(request, selectors.risk_for_page(pk=pk))


def _after_action(request: HttpRequest, risk: ProductRisk, action, done: str) -> HttpResponse:
    """Run a status change; back to the flag, or to the dashboard page it came from."""
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect(safe_next(request, reverse("productrisk:risk", args=[risk.pk])))


@allow(Role.PM, Role.ADMIN)
@require_POST
def risk_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    risk = selectors.risk_for_page(pk=pk)
    return _after_action(
        request,
        risk,
        lambda: services.risk_acknowledge(risk=risk, actor=request.user),
        _("Flag acknowledged."),
    )


@allow(Role.PM, Role.ADMIN)
@require_POST
def risk_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    risk = selectors.risk_for_page(pk=pk)
    form = DismissForm(request.POST)
    if not form.is_valid():
        return _render_risk(request, risk, dismiss_form=form)
    return _after_action(
        request,
        risk,
        lambda: services.risk_dismiss(
            risk=risk, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        _("Flag dismissed. It re-opens if more accounts or ARR come behind the idea."),
    )


@allow(Role.PM, Role.ADMIN)
@require_POST
def risk_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    risk = selectors.risk_for_page(pk=pk)
    return _after_action(
        request,
        risk,
        lambda: services.risk_reopen(risk=risk, actor=request.user),
        _("Flag re-opened."),
    )


# --- The rule --------------------------------------------------------------------------


@allow(Role.PM, Role.ADMIN)
def risk_rule_edit(request: HttpRequest) -> HttpResponse:
    """Product managers read the rule; only admins change it."""
    rule = services.risk_rule()
    can_edit = request.user.role == Role.ADMIN
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = RiskRuleForm(request.POST, instance=RiskRule.objects.get(pk=rule.pk))
        if form.is_valid():
            try:
                services.risk_rule_update(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Rule saved. Flags follow it at the next recompute."))
                return redirect("productrisk:rule")
    else:
        form = RiskRuleForm(instance=rule)
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    defaults = {field.name: field.default for field in RiskRule._meta.fields}
    return render(
        request,
        "productrisk/risk_rule.html",
        {
            "form": form,
            "rows": [(form[name], defaults[name]) for name in RiskRuleForm.Meta.fields],
            "rule": rule,
            "explanation": explain(rule),
            "can_edit": can_edit,
        },
        status=400 if form.errors else 200,
    )


# --- A CSM's blocked accounts ----------------------------------------------------------


@allow(STAFF_ROLES)
def my_risks(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own accounts that active flags touch."""
    page = Paginator(selectors.blocked_accounts(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    accounts = list(page.object_list)
    gaps = selectors.gaps_by_account(account_ids=[account.pk for account in accounts])
    return render(
        request,
        "productrisk/risk_mine.html",
        {
            "page": page,
            "rows": [
                {"account": account, "gaps": gaps.get(account.pk, [])} for account in accounts
            ],
            "summary": selectors.blocked_summary(user=request.user),
            "owns_accounts": bool(accounts)
            or Account.objects.filter(csm_owner=request.user).exists(),
        },
    )


# --- Impact after shipping -------------------------------------------------------------


@allow(STAFF_ROLES)
def risk_impact(request: HttpRequest) -> HttpResponse:
    resolved = selectors.resolved_risks()
    report = selectors.impact_report(
        resolved, title=_("Health score around ship dates, resolved flags pooled")
    )
    return render(
        request,
        "productrisk/risk_impact.html",
        {
            "report": report,
            "rows": [
                {
                    "risk": risk,
                    "ship_date": report.ship_dates.get(risk.pk),
                    "windows": report.per_flag.get(risk.pk, report.windows),
                }
                for risk in resolved
            ],
            "limit": selectors.IMPACT_FLAGS,
        },
    )


# --- Customer 360 ----------------------------------------------------------------------


def account_section_context(request: HttpRequest, account: Account) -> dict[str, Any]:
    """The flags touching an account, for its Customer 360 page (one query)."""
    return {"account": account, "rows": selectors.account_risks(account=account)}
