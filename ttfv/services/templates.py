"""Writes of milestone templates: create one for a plan or segment, save an edit, delete.

Each write recomputes the onboardings it affects inside the same transaction, so the
dashboard never shows accounts on a template that changed under them: a new rule
backfills the day the data first met it, not the day of the edit.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import Account
from ttfv import services
from ttfv.engine import default_template_ensure
from ttfv.models import Milestone, MilestoneTemplate, Onboarding
from ttfv.selectors.templates import known_events
from ttfv.templates_validation import (
    MilestoneDraft,
    Problems,
    TemplateDraft,
    template_normalised,
    template_problems,
)


class TemplateInvalid(ValidationError):
    """A template draft that breaks the rules; ``problems`` says where."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        messages = [m for errors in problems.template.values() for m in errors]
        messages += problems.milestone_list
        messages += [
            m for row in problems.milestones.values() for errors in row.values() for m in errors
        ]
        super().__init__(messages)


def _scope_problems(
    *, plan: str, segment: str, template: MilestoneTemplate | None, problems: Problems
) -> None:
    """The plan or segment exists on accounts (or is the template's own) and no other
    template claims it."""
    field, value = ("plan", plan) if plan else ("segment", segment)
    if not value:
        return
    current = template is not None and getattr(template, field) == value
    if not current and not Account.objects.filter(**{field: value}).exists():
        message = (
            _("No account is on the plan “%(value)s”.")
            if field == "plan"
            else _("No account is in the segment “%(value)s”.")
        )
        problems.add(field, message % {"value": value})
    other = MilestoneTemplate.objects.filter(plan=plan, segment=segment)
    if template is not None:
        other = other.exclude(pk=template.pk)
    if other.exists():
        message = (
            _("The plan “%(value)s” already has its own template.")
            if field == "plan"
            else _("The segment “%(value)s” already has its own template.")
        )
        problems.add(field, message % {"value": value})


def _accounts_of(template: MilestoneTemplate) -> list[int]:
    """Accounts on ``template`` now, or that it should now apply to: the recompute then
    moves each to the template that wins (plan, then segment, then the default)."""
    on_it = Q(onboarding__template=template)
    if template.plan:
        on_it |= Q(plan=template.plan)
    elif template.segment:
        on_it |= Q(segment=template.segment)
    else:
        on_it |= Q(onboarding__isnull=True)
    return list(Account.objects.filter(on_it).order_by().values_list("pk", flat=True).distinct())


def _store_milestones(template: MilestoneTemplate, milestones: tuple[MilestoneDraft, ...]) -> None:
    """Make the template's milestones exactly ``milestones``, in that order.

    Rows that edit a stored milestone keep its id, so manual check-offs of a renamed or
    re-ruled milestone survive; removed milestones go, with their progress.
    """
    stored = {m.pk: m for m in template.milestones.all()}
    kept = {m.id for m in milestones if m.id in stored}
    template.milestones.exclude(pk__in=kept).delete()
    # One first value per template is a unique constraint checked row by row: clear the
    # flag first so that moving it from one milestone to another never collides.
    template.milestones.filter(is_first_value=True).update(is_first_value=False)
    for position, draft in enumerate(milestones):
        values = {
            "name": draft.name,
            "position": position,
            "target_offset_days": draft.target_offset_days,
            "rule": draft.rule,
            "event": draft.event,
            "min_events": draft.min_events,
            "min_contacts": draft.min_contacts,
            "is_first_value": draft.is_first_value,
            "how_to": draft.how_to,
            "help_url": draft.help_url,
            "nudge_text": draft.nudge_text,
            "nudge_translations": dict(draft.nudge_translations),
        }
        if draft.id in kept:
            Milestone.objects.filter(pk=draft.id).update(**values)
        else:
            Milestone.objects.create(template=template, **values)


@transaction.atomic
def template_save(*, template_id: int, draft: TemplateDraft) -> MilestoneTemplate:
    """Validate and store an edited template, then recompute (and so backfill) every
    onboarding it applies to. Raises :class:`TemplateInvalid`."""
    # Locked so that two admins saving at once apply one after the other.
    template = MilestoneTemplate.objects.select_for_update().get(pk=template_id)
    draft = template_normalised(draft)
    problems = template_problems(draft, known_events=known_events(), is_default=template.is_default)
    if not problems and not template.is_default:
        _scope_problems(
            plan=draft.plan, segment=draft.segment, template=template, problems=problems
        )
    if problems:
        raise TemplateInvalid(problems)
    before = _accounts_of(template)
    template.name = draft.name
    template.plan, template.segment = draft.plan, draft.segment
    template.target_days = draft.target_days
    template.at_risk_percent = draft.at_risk_percent
    template.save()
    _store_milestones(template, draft.milestones)
    services.onboarding_recompute(account_ids=sorted(set(before) | set(_accounts_of(template))))
    return template


@transaction.atomic
def template_create(*, plan: str = "", segment: str = "") -> MilestoneTemplate:
    """A template for one plan or one segment, starting as a copy of the default (its
    milestones, target and at-risk share). Its accounts move onto it at once."""
    plan, segment = plan.strip(), segment.strip()
    problems = Problems()
    if bool(plan) == bool(segment):
        problems.add(
            "__all__",
            _("Choose a plan or a segment, not both.")
            if plan
            else _("Choose the plan or the segment the template is for."),
        )
    else:
        _scope_problems(plan=plan, segment=segment, template=None, problems=problems)
    if problems:
        raise TemplateInvalid(problems)
    default = default_template_ensure()
    template = MilestoneTemplate.objects.create(
        name=_("Onboarding for %(scope)s") % {"scope": plan or segment},
        plan=plan,
        segment=segment,
        target_days=default.target_days,
        at_risk_percent=default.at_risk_percent,
    )
    Milestone.objects.bulk_create(
        [
            Milestone(
                template=template,
                name=m.name,
                position=m.position,
                target_offset_days=m.target_offset_days,
                rule=m.rule,
                event=m.event,
                min_events=m.min_events,
                min_contacts=m.min_contacts,
                is_first_value=m.is_first_value,
                how_to=m.how_to,
                help_url=m.help_url,
                nudge_text=m.nudge_text,
                nudge_translations=m.nudge_translations,
            )
            for m in default.milestones.order_by("position", "pk")
        ]
    )
    services.onboarding_recompute(account_ids=_accounts_of(template))
    return template


@transaction.atomic
def template_delete(*, template_id: int) -> int:
    """Delete a plan or segment template; its accounts go to the template that applies
    next (segment or default). Returns how many accounts moved.

    Onboarding.template protects templates in use, so the accounts are first parked on
    the default and then recomputed, all in one transaction: nobody sees them without a
    template, and a failing recompute leaves the template in place.
    """
    template = MilestoneTemplate.objects.select_for_update().get(pk=template_id)
    if template.is_default:
        raise ValidationError(
            _("The default template cannot be deleted: it applies to every account "
              "without a plan or segment template.")
        )  # fmt: skip
    default = default_template_ensure()
    account_ids = list(
        Onboarding.objects.filter(template=template).values_list("account_id", flat=True)
    )
    Onboarding.objects.filter(account_id__in=account_ids).update(
        template=default, target_days=default.target_days
    )
    template.delete()
    services.onboarding_recompute(account_ids=account_ids)
    return len(account_ids)
