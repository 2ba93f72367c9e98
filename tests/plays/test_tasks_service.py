"""Tasks by hand: who may create and change them, what a bad input says, and the
overdue notice told once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from notifications.models import Alert
from plays import services
from plays.models import Play, Task
from tests.accounts.factories import AccountFactory
from tests.plays.factories import PlaybookFactory, TaskFactory

pytestmark = pytest.mark.django_db


def test_a_task_goes_to_the_accounts_csm_when_no_owner_is_named(csm, admin_user):
    account = AccountFactory(csm_owner=csm)
    task = services.task_create(
        actor=admin_user, account=account, title="  Call Ana ", due_on=timezone.localdate()
    )
    assert (task.title, task.owner, task.created_by, task.status) == (
        "Call Ana",
        csm,
        admin_user,
        Task.Status.OPEN,
    )


def test_product_managers_and_customers_cannot_create_tasks(pm, customer_a, account_a):
    for actor in (pm, customer_a):
        with pytest.raises(PermissionDenied):
            services.task_create(
                actor=actor, account=account_a, title="x", due_on=timezone.localdate()
            )


@pytest.mark.parametrize(
    ("title", "due", "field"),
    [("", 0, "title"), ("x" * 201, 0, "title"), ("Call", None, "due_on"), ("Call", 800, "due_on")],
)
def test_bad_input_names_the_field(csm, account_a, title, due, field):
    due_on = None if due is None else timezone.localdate() + timedelta(days=due)
    with pytest.raises(ValidationError) as caught:
        services.task_create(actor=csm, account=account_a, title=title, due_on=due_on)
    assert field in caught.value.message_dict


def test_a_customer_cannot_own_a_task(csm, customer_a, account_a):
    with pytest.raises(ValidationError):
        services.task_create(
            actor=csm,
            account=account_a,
            title="Call",
            due_on=timezone.localdate(),
            owner=customer_a,
        )


def test_assign_reschedule_complete_and_comment(csm, admin_user, account_a):
    task = TaskFactory(account=account_a, owner=csm)
    task = services.task_assign(actor=csm, task=task, owner=admin_user)
    new_day = timezone.localdate() + timedelta(days=9)
    task = services.task_reschedule(actor=csm, task=task, due_on=new_day)
    services.task_comment(actor=csm, task=task, body="Left a voicemail.")
    task = services.task_complete(actor=admin_user, task=task)
    task.refresh_from_db()
    assert (task.owner, task.due_on, task.status, task.closed_by) == (
        admin_user,
        new_day,
        Task.Status.DONE,
        admin_user,
    )
    assert task.comments.get().body == "Left a voicemail."
    with pytest.raises(ValidationError):
        services.task_complete(actor=csm, task=task)


def test_skipping_needs_a_reason(csm, account_a):
    task = TaskFactory(account=account_a)
    with pytest.raises(ValidationError):
        services.task_skip(actor=csm, task=task, reason="  ")
    task = services.task_skip(actor=csm, task=task, reason="Customer on holiday")
    assert (task.status, task.skip_reason) == (Task.Status.SKIPPED, "Customer on holiday")


def test_the_last_step_done_completes_the_play(csm):
    account = AccountFactory(csm_owner=csm)
    play, _ = services.play_start(actor=csm, playbook=PlaybookFactory(), account=account)
    first, second = play.tasks.order_by("step__position")
    services.task_complete(actor=csm, task=first)
    play.refresh_from_db()
    assert play.state == Play.State.ACTIVE
    services.task_skip(actor=csm, task=second, reason="Not needed")
    play.refresh_from_db()
    assert play.state == Play.State.COMPLETED
    assert play.finished_at is not None


def test_the_owner_of_an_overdue_task_is_told_once(csm, account_a):
    today = timezone.localdate()
    late = TaskFactory(account=account_a, owner=csm, due_on=today - timedelta(days=1))
    TaskFactory(account=account_a, owner=csm, due_on=today)  # due today: not late
    TaskFactory(
        account=account_a, owner=csm, due_on=today - timedelta(days=3), status=Task.Status.DONE
    )
    assert services.tasks_notify_overdue() == 1
    assert services.tasks_notify_overdue() == 0
    alert = Alert.objects.get(kind=services.ALERT_KIND_OVERDUE)
    assert (alert.recipient, alert.account) == (csm, account_a)
    assert late.title in alert.title
    # Rescheduled and late again: told again.
    services.task_reschedule(actor=csm, task=late, due_on=today - timedelta(days=1))
    Task.objects.filter(pk=late.pk).update(due_on=today - timedelta(days=1))
    assert services.tasks_notify_overdue() == 1
