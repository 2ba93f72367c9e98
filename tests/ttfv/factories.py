"""Factories of onboarding: milestone templates and their milestones, and onboardings as
the reports read them, written directly (the engine is tested elsewhere)."""

from __future__ import annotations

from datetime import timedelta

import factory
from factory.django import DjangoModelFactory

from tests.accounts.factories import AccountFactory
from ttfv.engine import default_template_ensure
from ttfv.models import Milestone, MilestoneTemplate, Onboarding
from ttfv.services import today_utc


class MilestoneTemplateFactory(DjangoModelFactory):
    class Meta:
        model = MilestoneTemplate

    name = factory.Sequence(lambda n: f"Onboarding {n}")
    plan = factory.Sequence(lambda n: f"Plan {n}")


class MilestoneFactory(DjangoModelFactory):
    class Meta:
        model = Milestone

    template = factory.SubFactory(MilestoneTemplateFactory)
    name = factory.Sequence(lambda n: f"Milestone {n}")
    position = factory.Sequence(lambda n: n)
    target_offset_days = 30
    rule = Milestone.Rule.USAGE
    event = "report.shared"
    min_events = 1


class OnboardingFactory(DjangoModelFactory):
    """``ttfv`` (days, or None for open) sets first_value_on, ttfv_days and status."""

    class Meta:
        model = Onboarding
        exclude = ["ttfv", "days_ago"]

    account = factory.SubFactory(AccountFactory)
    template = factory.LazyFunction(default_template_ensure)
    days_ago = 100
    ttfv = 30
    started_on = factory.LazyAttribute(lambda o: today_utc() - timedelta(days=o.days_ago))
    target_days = 60
    first_value_on = factory.LazyAttribute(
        lambda o: o.started_on + timedelta(days=o.ttfv) if o.ttfv is not None else None
    )
    ttfv_days = factory.SelfAttribute("ttfv")
    status = factory.LazyAttribute(
        lambda o: (
            "on_track"
            if o.ttfv is None
            else ("achieved" if o.ttfv <= o.target_days else "achieved_late")
        )
    )
