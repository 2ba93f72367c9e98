"""Playbooks, rules, plays and tasks as the services would store them."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from plays.models import Play, Playbook, PlaybookStep, Rule, Task
from tests.accounts.factories import AccountFactory


class PlaybookFactory(DjangoModelFactory):
    class Meta:
        model = Playbook
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Playbook {n}")

    @factory.post_generation
    def steps(self, create: bool, extracted, **kwargs) -> None:
        """Two steps unless the test names them: ``steps=[("Call", 0), ("Plan", 7)]``."""
        if not create:
            return
        for position, (title, days) in enumerate(
            extracted or [("Call the champion", 0), ("Agree a plan", 7)]
        ):
            PlaybookStep.objects.create(
                playbook=self, position=position, title=title, due_in_days=days
            )


class RuleFactory(DjangoModelFactory):
    class Meta:
        model = Rule

    name = factory.Sequence(lambda n: f"Rule {n}")
    playbook = factory.SubFactory(PlaybookFactory)
    trigger = Rule.Trigger.BAND
    band = Rule.Band.RED


class PlayFactory(DjangoModelFactory):
    class Meta:
        model = Play

    playbook = factory.SubFactory(PlaybookFactory)
    account = factory.SubFactory(AccountFactory)
    started_at = factory.LazyFunction(timezone.now)


class TaskFactory(DjangoModelFactory):
    class Meta:
        model = Task

    account = factory.SubFactory(AccountFactory)
    title = factory.Sequence(lambda n: f"Task {n}")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=2))
