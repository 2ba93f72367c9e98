"""Reads of the template pages: the list with its counts, the editor's data, the event
names a usage rule may use and the plans and segments a template may be for."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.shortcuts import get_object_or_404

from accounts.models import Account
from accounts.selectors import usage_event_names
from ttfv.engine import default_template_ensure
from ttfv.models import Milestone, MilestoneTemplate, Onboarding


def known_events() -> list[str]:
    """Every event name in the usage rollups: the only names a usage rule can match."""
    return usage_event_names()


@dataclass(frozen=True)
class ScopeChoices:
    """Plans and segments present on accounts, and those already taken by a template."""

    plans: list[str]
    segments: list[str]
    taken_plans: frozenset[str]
    taken_segments: frozenset[str]

    @property
    def free_plans(self) -> list[str]:
        return [value for value in self.plans if value not in self.taken_plans]

    @property
    def free_segments(self) -> list[str]:
        return [value for value in self.segments if value not in self.taken_segments]


def scope_choices(*, templates: list[MilestoneTemplate] | None = None) -> ScopeChoices:
    """One DISTINCT (plan, segment) query over accounts, plus the templates' own scopes
    (from ``templates`` when the caller already has them)."""
    pairs = Account.objects.order_by().values_list("plan", "segment").distinct()
    plans = sorted({plan for plan, _segment in pairs if plan})
    segments = sorted({segment for _plan, segment in pairs if segment})
    if templates is None:
        templates = list(MilestoneTemplate.objects.only("plan", "segment"))
    return ScopeChoices(
        plans=plans,
        segments=segments,
        taken_plans=frozenset(t.plan for t in templates if t.plan),
        taken_segments=frozenset(t.segment for t in templates if t.segment),
    )


@dataclass(frozen=True)
class TemplateRow:
    template: MilestoneTemplate
    milestone_count: int
    accounts: int


@dataclass(frozen=True)
class TemplatesOverview:
    rows: list[TemplateRow]  # the default first, then plans, then segments
    choices: ScopeChoices


def templates_overview() -> TemplatesOverview:
    """The list page in three queries, whatever the number of templates and accounts."""
    default_template_ensure()
    templates = list(MilestoneTemplate.objects.annotate(milestone_count=Count("milestones")))
    # One aggregate over the onboardings, not a count per template.
    using = dict(
        Onboarding.objects.order_by()
        .values_list("template_id")
        .annotate(n=Count("pk"))
        .values_list("template_id", "n")
    )
    templates.sort(key=lambda t: (not t.is_default, not t.plan, t.plan, t.segment, t.name))
    return TemplatesOverview(
        rows=[
            TemplateRow(template=t, milestone_count=t.milestone_count, accounts=using.get(t.pk, 0))
            for t in templates
        ],
        choices=scope_choices(templates=templates),
    )


@dataclass(frozen=True)
class TemplateEditorData:
    template: MilestoneTemplate
    milestones: list[Milestone]
    accounts: int
    known_events: list[str]
    choices: ScopeChoices


def template_editor_data(*, template_id: int) -> TemplateEditorData:
    """Everything the editor shows, in a constant number of queries (404 if missing)."""
    template = get_object_or_404(MilestoneTemplate, pk=template_id)
    return TemplateEditorData(
        template=template,
        milestones=list(template.milestones.order_by("position", "pk")),
        accounts=Onboarding.objects.filter(template=template).count(),
        known_events=known_events(),
        choices=scope_choices(),
    )


@dataclass(frozen=True)
class TemplateUsage:
    template: MilestoneTemplate
    accounts: int


def template_delete_data(*, template_id: int) -> TemplateUsage:
    """The template and how many accounts a delete would move (404 if missing)."""
    template = get_object_or_404(MilestoneTemplate, pk=template_id)
    return TemplateUsage(
        template=template, accounts=Onboarding.objects.filter(template=template).count()
    )
