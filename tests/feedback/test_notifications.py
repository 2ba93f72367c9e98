"""Closing the loop: a status change reaches each voter, follower and CSM exactly once."""

from __future__ import annotations

import pytest
from django.core import mail

from core.roles import Role
from feedback import notifications, services
from feedback.statuses import IdeaStatus
from notifications.models import Alert
from tests.accounts.factories import AccountFactory, ContactFactory, UserFactory
from tests.feedback.factories import IdeaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def voted_idea(customer_a, customer_b, csm):
    """An idea with two customers' votes, one on-behalf vote, and a plain follower."""
    idea = IdeaFactory(title="Export to CSV")
    for customer in (customer_a, customer_b):
        customer.contact.account.csm_owner = csm
        customer.contact.account.save()
        services.vote_cast(idea=idea, actor=customer)
    other_account = AccountFactory(name="Zeta Corp", csm_owner=csm)
    services.vote_on_behalf(idea=idea, contact=ContactFactory(account=other_account), actor=csm)
    follower = UserFactory(role=Role.CUSTOMER)
    services.follow_set(idea=idea, user=follower)
    return idea, follower


def test_status_change_tells_voters_followers_and_the_csm_once(
    voted_idea, customer_a, customer_b, csm, pm, django_capture_on_commit_callbacks
):
    idea, follower = voted_idea
    with django_capture_on_commit_callbacks(execute=True):
        change = services.idea_status_change(
            idea=idea, status=IdeaStatus.PLANNED, actor=pm, message="Coming in Q1."
        )
    people = Alert.objects.filter(kind=notifications.KIND_IDEA)
    assert set(people.values_list("recipient_id", flat=True)) == {
        customer_a.pk,
        customer_b.pk,
        follower.pk,
    }
    assert all(alert.body == "Coming in Q1." for alert in people)
    csm_alert = Alert.objects.get(kind=notifications.KIND_IDEA_ACCOUNTS)
    assert csm_alert.recipient == csm
    assert "3 of your accounts" in csm_alert.title
    assert "Account A" in csm_alert.body
    assert "Zeta Corp" in csm_alert.body
    assert len(mail.outbox) == 4
    assert not Alert.objects.filter(recipient=pm).exists()

    # A retried task (or a second delivery) raises and sends nothing new.
    notifications.idea_event_notify(
        idea_ids=[idea.pk], event_key=f"idea-status:{change.pk}", title="again"
    )
    assert Alert.objects.count() == 4
    assert len(mail.outbox) == 4


def test_unchanged_status_without_message_notifies_no_one(
    voted_idea, pm, django_capture_on_commit_callbacks
):
    idea, _follower = voted_idea
    with django_capture_on_commit_callbacks(execute=True):
        assert services.idea_status_change(idea=idea, status=IdeaStatus.OPEN, actor=pm) is None
    assert not Alert.objects.exists()


def test_a_rolled_back_status_change_notifies_no_one(voted_idea, pm):
    idea, _follower = voted_idea
    services.idea_status_change(idea=idea, status=IdeaStatus.DECLINED, actor=pm)
    # Outside django_capture_on_commit_callbacks the test transaction never commits.
    assert not Alert.objects.exists()
