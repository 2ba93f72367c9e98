"""The cockpit, the manager view, the playbook and rule editors and the report."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.access import allow
from core.markdown import render_markdown
from core.roles import STAFF_ROLES, Role
from plays import selectors, services
from plays.forms import CockpitFilterForm, PlaybookForm, RuleForm, StepFormSet
from plays.models import Playbook, PlaybookStep, Rule
from plays.services.editor import StepDraft, steps_validate
from plays.views.tasks import PlaysRequest


@allow(Role.CSM, Role.ADMIN)
def today(request: PlaysRequest) -> HttpResponse:
    """A CSM's day, each row one click from its account."""
    form = CockpitFilterForm(request.GET)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    data = selectors.cockpit(
        user=request.user,
        kind=filters.get("kind", ""),
        segment=filters.get("segment", ""),
        account=filters.get("account", ""),
    )
    return render(request, "plays/today.html", {"cockpit": data, "form": form})


@allow(Role.ADMIN)
def manager(request: PlaysRequest) -> HttpResponse:
    """Across CSMs: open and overdue tasks, plays started and completed (30 days)."""
    return render(request, "plays/manager.html", {"rows": selectors.manager_overview(days=30)})


@allow(STAFF_ROLES)
def playbooks(request: PlaysRequest) -> HttpResponse:
    return render(
        request,
        "plays/playbooks.html",
        {
            "playbooks": selectors.playbooks_overview(),
            "can_edit": request.user.role == Role.ADMIN,
        },
    )


def _drafts(formset: Any) -> list[StepDraft]:
    drafts = []
    for data in formset.cleaned_data:
        if not data or not (data.get("title") or "").strip():
            continue  # an empty extra row
        owner = data.get("owner_user")
        drafts.append(
            StepDraft(
                title=data["title"],
                how_to=data.get("how_to") or "",
                due_in_days=data.get("due_in_days") or 0,
                owner_kind=data.get("owner_kind") or PlaybookStep.Owner.CSM,
                owner_user_id=owner.pk if owner else None,
                owner_role=data.get("owner_role") or "",
            )
        )
    return drafts


def _preview(drafts: list[StepDraft]) -> list[dict[str, Any]]:
    """The tasks a play started today would create: title, due day, owner, how-to."""
    start = timezone.localdate()
    people = {
        u.pk: u
        for u in User.objects.filter(pk__in=[d.owner_user_id for d in drafts if d.owner_user_id])
    }
    rows = []
    for draft in drafts:
        if draft.owner_kind == PlaybookStep.Owner.PERSON and draft.owner_user_id in people:
            person = people[draft.owner_user_id]
            owner = person.get_full_name() or person.get_username()
        elif draft.owner_kind == PlaybookStep.Owner.ROLE:
            owner = str(Role(draft.owner_role).label) if draft.owner_role else ""
        else:
            owner = _("The account's CSM")
        rows.append(
            {
                "title": draft.title,
                "due_on": start + timedelta(days=draft.due_in_days),
                "owner": owner,
                "how_to": render_markdown(draft.how_to),
            }
        )
    return rows


@allow(STAFF_ROLES)
def playbook_edit(request: PlaysRequest, playbook_id: int | None = None) -> HttpResponse:
    """An admin's editor, with a preview of the tasks a play would create today; staff
    who are not admins read the playbook."""
    playbook = get_object_or_404(Playbook, pk=playbook_id) if playbook_id else None
    is_admin = request.user.role == Role.ADMIN
    preview: list[dict[str, Any]] = []
    error = ""
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied
        form = PlaybookForm(request.POST)
        formset = StepFormSet(request.POST, prefix="steps")
        if form.is_valid() and formset.is_valid():
            drafts = _drafts(formset)
            try:
                if "preview" in request.POST:
                    preview = _preview(steps_validate(drafts))
                else:
                    saved = services.playbook_save(
                        actor=request.user,
                        playbook=playbook,
                        name=form.cleaned_data["name"],
                        description=form.cleaned_data["description"],
                        steps=drafts,
                    )
                    messages.success(request, _("Playbook saved."))
                    return redirect("plays:playbook_edit", playbook_id=saved.pk)
            except ValidationError as exc:
                error = " ".join(exc.messages)
        status = 400 if (error or not (form.is_valid() and formset.is_valid())) else 200
    else:
        status = 200
        initial = {"name": playbook.name, "description": playbook.description} if playbook else {}
        form = PlaybookForm(initial=initial)
        steps = (
            [
                {
                    "title": s.title,
                    "how_to": s.how_to,
                    "due_in_days": s.due_in_days,
                    "owner_kind": s.owner_kind,
                    "owner_user": s.owner_user_id,
                    "owner_role": s.owner_role,
                }
                for s in playbook.steps.all()
            ]
            if playbook
            else []
        )
        formset = StepFormSet(initial=steps, prefix="steps")
    return render(
        request,
        "plays/playbook_edit.html",
        {
            "playbook": playbook,
            "form": form,
            "formset": formset,
            "preview": preview,
            "error": error,
            "can_edit": is_admin,
        },
        status=status,
    )


@allow(STAFF_ROLES)
def playbook_report(request: PlaysRequest, playbook_id: int) -> HttpResponse:
    playbook = get_object_or_404(Playbook, pk=playbook_id)
    return render(
        request,
        "plays/report.html",
        {"report": selectors.playbook_report(playbook=playbook)},
    )


@allow(Role.ADMIN)
def rules(request: PlaysRequest) -> HttpResponse:
    return render(
        request,
        "plays/rules.html",
        {"rules": Rule.objects.select_related("playbook").order_by("name", "pk")},
    )


@allow(Role.ADMIN)
def rule_edit(request: PlaysRequest, rule_id: int | None = None) -> HttpResponse:
    rule = get_object_or_404(Rule, pk=rule_id) if rule_id else Rule()
    status = 200
    if request.method == "POST":
        form = RuleForm(request.POST, instance=rule)
        if form.is_valid():
            try:
                services.rule_save(actor=request.user, rule=form.instance)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Rule saved."))
                return redirect("plays:rules")
        status = 400
    else:
        form = RuleForm(instance=rule)
    return render(request, "plays/rule_edit.html", {"form": form, "rule": rule}, status=status)
