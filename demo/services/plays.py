"""The plays demo: three playbooks (red rescue, onboarding stuck, renewal prep), the
rules that start them, and plays in several states.

Built on the cast (``demo.cast``): dormant accounts are red, one onboarding is late and
one stuck, and some accounts renew within 90 days while not green, on any day and for
any seed. The rules start the plays as the recomputes would; the states after that
(a step done, a play completed, one closed when its account recovered, one late) are
set on purpose, on the first accounts in external-ID order, so the story is the same
every time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import Account, User
from core.roles import Role
from plays.models import Play, Playbook, PlaybookStep, Rule, Task
from plays.services import rules_evaluate, task_complete, task_create

PLAYBOOKS = {
    "Red rescue": (
        "For an account whose health turned red: find out why within days, agree a plan.",
        [
            ("Call the champion", 1, "Ask what changed: people, priorities, product. Take notes."),
            ("Review usage and tickets with support", 3, "Look at the **why it changed** panel."),
            ("Agree a recovery plan with the sponsor", 7, "Three goals, owners and dates."),
            ("Check the plan is working", 21, "Has the score moved? If not, escalate."),
        ],
    ),
    "Onboarding stuck": (
        "For an onboarding at risk or late: unblock the next milestone.",
        [
            ("Find the blocker with the project lead", 2, ""),
            ("Run a hands-on session for the next milestone", 5, ""),
            ("Confirm first value is reached", 14, ""),
        ],
    ),
    "Renewal prep": (
        "For a renewal within 90 days while the account is not green.",
        [
            ("Review health, usage and open risks", 3, ""),
            ("Meet the sponsor about value delivered", 10, ""),
            ("Send the renewal proposal", 30, ""),
        ],
    ),
}
RULES: list[tuple[str, str, dict[str, Any]]] = [
    ("Red accounts", "Red rescue", {"trigger": Rule.Trigger.BAND, "band": Rule.Band.RED}),
    ("Onboarding at risk or late", "Onboarding stuck", {"trigger": Rule.Trigger.ONBOARDING}),
    (
        "Renewal within 90 days, not green",
        "Renewal prep",
        {"trigger": Rule.Trigger.RENEWAL, "days": 90},
    ),
]


@dataclass(frozen=True)
class PlaysDemoSummary:
    playbooks: int
    plays: int
    tasks: int


@transaction.atomic
def seed_plays_demo() -> PlaysDemoSummary:
    """Playbooks, rules, the plays they start, and a few states set by hand."""
    admin = User.objects.filter(role=Role.ADMIN).order_by("pk").first()
    books = {}
    for name, (description, steps) in PLAYBOOKS.items():
        playbook, _created = Playbook.objects.update_or_create(
            name=name, defaults={"description": description}
        )
        playbook.steps.all().delete()
        PlaybookStep.objects.bulk_create(
            PlaybookStep(playbook=playbook, position=i, title=title, due_in_days=days, how_to=how)
            for i, (title, days, how) in enumerate(steps)
        )
        books[name] = playbook
    for name, playbook_name, fields in RULES:
        Rule.objects.update_or_create(
            name=name, defaults={"playbook": books[playbook_name], "enabled": True, **fields}
        )
    rules_evaluate()
    _states(books, admin)
    return PlaysDemoSummary(
        playbooks=len(books), plays=Play.objects.count(), tasks=Task.objects.count()
    )


def _states(books: dict[str, Playbook], admin: User | None) -> None:
    now = timezone.now()
    rescue = list(
        Play.objects.filter(playbook=books["Red rescue"], state=Play.State.ACTIVE)
        .select_related("account__csm_owner")
        .order_by("account__external_id")
    )
    # One started ten days ago and running late: its first steps are overdue.
    if rescue:
        late = rescue[0]
        Play.objects.filter(pk=late.pk).update(started_at=now - timedelta(days=10))
        Task.objects.filter(play=late).update(due_on=late.started_at.date() - timedelta(days=9))
        Task.objects.filter(play=late, step__position__gte=2).update(
            due_on=timezone.localdate() + timedelta(days=11)
        )
    # One in progress: the first step done.
    if len(rescue) > 1:
        _done(rescue[1], steps=1)
    # One completed: every step done.
    if len(rescue) > 2:
        _done(rescue[2], steps=None)
    # One from six weeks ago on an account that recovered: closed as no longer needed.
    recovered = (
        Account.objects.filter(health__effective_band="green")
        .exclude(plays__playbook=books["Red rescue"])
        .order_by("external_id")
        .first()
    )
    if recovered is not None:
        play = Play.objects.create(
            playbook=books["Red rescue"],
            account=recovered,
            state=Play.State.RESOLVED,
            cause="Health dropped to red",
            band_at_start="red",
            started_at=now - timedelta(days=45),
            finished_at=now - timedelta(days=20),
        )
        steps = list(books["Red rescue"].steps.order_by("position"))
        Task.objects.bulk_create(
            Task(
                account=recovered,
                play=play,
                step=step,
                title=step.title,
                owner=recovered.csm_owner,
                due_on=(now - timedelta(days=45 - step.due_in_days)).date(),
                status=Task.Status.DONE if step.position == 0 else Task.Status.SKIPPED,
                skip_reason="" if step.position == 0 else "No longer needed: the cause cleared.",
                closed_at=now - timedelta(days=20),
            )
            for step in steps
        )
    # A task by hand, due today, for the demo CSM's first account.
    csm = User.objects.filter(username="csm").first()
    account = Account.objects.filter(csm_owner=csm).order_by("external_id").first()
    if (
        csm is not None
        and account is not None
        and admin is not None
        and not Task.objects.filter(account=account, play__isnull=True).exists()
    ):
        task_create(
            actor=admin,
            account=account,
            title="Send the quarterly business review deck",
            due_on=timezone.localdate(),
            owner=csm,
        )


def _done(play: Play, *, steps: int | None) -> None:
    actor = play.account.csm_owner or User.objects.filter(role=Role.ADMIN).first()
    if actor is None:
        return
    tasks = Task.objects.filter(play=play, status=Task.Status.OPEN).order_by("step__position")
    for task in list(tasks)[:steps]:
        task_complete(actor=actor, task=task)
