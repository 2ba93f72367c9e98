from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from ttfv.models import Milestone, MilestoneTemplate


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
