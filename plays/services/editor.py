"""Writes of the playbook and rule editors (admins only)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core import text
from core.roles import Role
from plays.models import Playbook, PlaybookStep, Rule

MAX_STEPS = 20


@dataclass(frozen=True)
class StepDraft:
    title: str
    how_to: str = ""
    due_in_days: int = 0
    owner_kind: str = PlaybookStep.Owner.CSM
    owner_user_id: int | None = None
    owner_role: str = ""


def _require_admin(actor: User) -> None:
    if actor.role != Role.ADMIN:
        raise PermissionDenied(_("Only admins edit playbooks and rules."))


def steps_validate(steps: Sequence[StepDraft]) -> list[StepDraft]:
    """The steps as they will be saved, or a ValidationError naming the step at fault.
    Also the preview's check, so what the preview shows is what saving keeps."""
    if not steps:
        raise ValidationError(_("Add at least one step."))
    if len(steps) > MAX_STEPS:
        raise ValidationError(_("A playbook has at most %(limit)d steps.") % {"limit": MAX_STEPS})
    clean: list[StepDraft] = []
    for number, step in enumerate(steps, start=1):
        title = text.one_line(step.title)
        if not title or len(title) > 200:
            raise ValidationError(
                _("Step %(number)d needs a title of up to 200 characters.") % {"number": number}
            )
        if not 0 <= step.due_in_days <= 365:
            raise ValidationError(
                _("Step %(number)d: due within 0 to 365 days.") % {"number": number}
            )
        if step.owner_kind == PlaybookStep.Owner.PERSON and not step.owner_user_id:
            raise ValidationError(_("Step %(number)d: choose the person.") % {"number": number})
        if step.owner_kind == PlaybookStep.Owner.ROLE and step.owner_role not in (
            Role.CSM,
            Role.ADMIN,
        ):
            raise ValidationError(_("Step %(number)d: choose the role.") % {"number": number})
        clean.append(
            StepDraft(
                title=title,
                how_to=step.how_to.strip(),
                due_in_days=step.due_in_days,
                owner_kind=step.owner_kind,
                owner_user_id=step.owner_user_id
                if step.owner_kind == PlaybookStep.Owner.PERSON
                else None,
                owner_role=step.owner_role if step.owner_kind == PlaybookStep.Owner.ROLE else "",
            )
        )
    return clean


@transaction.atomic
def playbook_save(
    *,
    actor: User,
    playbook: Playbook | None,
    name: str,
    description: str,
    steps: Sequence[StepDraft],
) -> Playbook:
    """Create or replace a playbook and its steps. Running plays keep their tasks: a
    step's tasks point at it only for reporting, and replaced steps leave them as they
    were."""
    _require_admin(actor)
    name = text.one_line(name)
    if not name:
        raise ValidationError({"name": _("Give the playbook a name.")})
    clean = steps_validate(steps)
    others = Playbook.objects.filter(name__iexact=name)
    if playbook is not None:
        others = others.exclude(pk=playbook.pk)
    if others.exists():
        raise ValidationError({"name": _("Another playbook has this name.")})
    if playbook is None:
        playbook = Playbook.objects.create(name=name, description=description.strip())
    else:
        playbook.name, playbook.description = name, description.strip()
        playbook.save()
        playbook.steps.all().delete()
    PlaybookStep.objects.bulk_create(
        PlaybookStep(playbook=playbook, position=position, **vars(step))
        for position, step in enumerate(clean)
    )
    return playbook


@transaction.atomic
def rule_save(*, actor: User, rule: Rule) -> Rule:
    """Save a rule the form filled in (validated by the model's own validators)."""
    _require_admin(actor)
    rule.name = text.one_line(rule.name)
    rule.full_clean()
    rule.save()
    return rule
