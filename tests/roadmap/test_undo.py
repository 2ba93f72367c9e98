"""Roadmap actions that tell people wait for the undo window: changes within it are
told as one notification with the final state, and Undo takes an action back before
anyone hears of it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from core.i18n import render
from feedback import services as feedback_services
from feedback.models import PendingNotification, StatusChange
from feedback.statuses import IdeaStatus
from feedback.tasks import deliver_pending_notifications
from notifications.models import Alert
from roadmap import services
from roadmap.models import Column, ItemUndo
from tests.feedback.factories import IdeaFactory
from tests.roadmap.factories import RoadmapItemFactory

pytestmark = pytest.mark.django_db

WINDOW = 60


@pytest.fixture(autouse=True)
def _window(settings):
    settings.FEEDBACK_NOTIFY_DELAY_SECONDS = WINDOW


@pytest.fixture
def exports(customer_a, customer_b):
    """A public planned item whose idea customers A and B voted for."""
    idea = IdeaFactory(title="Export to CSV", status=IdeaStatus.PLANNED)
    feedback_services.vote_cast(idea=idea, actor=customer_a)
    feedback_services.vote_cast(idea=idea, actor=customer_b)
    item = RoadmapItemFactory(title="Exports", column=Column.PLANNED, is_public=True)
    item.ideas.add(idea)
    Alert.objects.all().delete()
    mail.outbox.clear()
    return item, idea


def _after_the_window(clock, capture):
    clock.shift(timedelta(seconds=WINDOW + 1))
    with capture(execute=True):
        deliver_pending_notifications.delay()


def test_several_moves_within_the_window_tell_each_voter_once_with_the_final_state(
    exports, pm, customer_a, customer_b, clock, django_capture_on_commit_callbacks
):
    item, _idea = exports
    with django_capture_on_commit_callbacks(execute=True):
        services.item_move(item=item, column=Column.IN_PROGRESS, actor=pm)
    with django_capture_on_commit_callbacks(execute=True):
        services.item_move(item=item, column=Column.SHIPPED, actor=pm)
    assert not Alert.objects.exists()  # nobody is told within the window
    assert PendingNotification.objects.get().status_before == IdeaStatus.PLANNED

    _after_the_window(clock, django_capture_on_commit_callbacks)

    alerts = Alert.objects.filter(recipient__in=[customer_a, customer_b])
    assert sorted(alert.recipient_id for alert in alerts) == sorted([customer_a.pk, customer_b.pk])
    assert {render(alert.title) for alert in alerts} == {"Shipped: Exports"}
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [customer_a.email, customer_b.email]
    )
    # Delivering again tells no one twice.
    with django_capture_on_commit_callbacks(execute=True):
        deliver_pending_notifications.delay()
    assert Alert.objects.filter(recipient__in=[customer_a, customer_b]).count() == 2
    assert PendingNotification.objects.get().state == PendingNotification.State.SENT


def test_a_change_undone_by_hand_within_the_window_tells_no_one(
    exports, pm, clock, django_capture_on_commit_callbacks
):
    _item, idea = exports
    feedback_services.idea_status_change(idea=idea, status=IdeaStatus.IN_PROGRESS, actor=pm)
    feedback_services.idea_status_change(idea=idea, status=IdeaStatus.PLANNED, actor=pm)

    _after_the_window(clock, django_capture_on_commit_callbacks)

    assert not Alert.objects.exists()
    assert PendingNotification.objects.get().state == PendingNotification.State.CANCELLED


def test_a_message_without_a_new_status_is_told(
    exports, pm, customer_a, clock, django_capture_on_commit_callbacks
):
    _item, idea = exports
    feedback_services.idea_status_change(
        idea=idea, status=IdeaStatus.PLANNED, actor=pm, message="Design review on Monday."
    )
    _after_the_window(clock, django_capture_on_commit_callbacks)
    assert Alert.objects.filter(recipient=customer_a).count() == 1


def test_undo_from_the_editor_puts_everything_back_and_tells_no_one(
    exports, client_for, pm, clock, django_capture_on_commit_callbacks
):
    item, idea = exports
    client = client_for(pm)
    moved = client.post(
        reverse("roadmap:item_move", args=[item.pk]),
        {"column": Column.SHIPPED, "position": "0", "confirm": "1"},
    )
    assert moved.status_code == 302
    undo = ItemUndo.objects.get()
    editor = client.get(reverse("roadmap:editor")).content.decode()
    assert 'data-testid="undo-panel"' in editor
    assert reverse("roadmap:item_undo", args=[undo.token]) in editor

    response = client.post(reverse("roadmap:item_undo", args=[undo.token]), follow=True)

    assert "Undone: “Exports” is as it was, and no one was told." in response.content.decode()
    item.refresh_from_db()
    idea.refresh_from_db()
    assert (item.column, item.shipped_on, item.position) == (Column.PLANNED, None, 0)
    assert idea.status == IdeaStatus.PLANNED
    assert not StatusChange.objects.filter(to_status=IdeaStatus.SHIPPED).exists()
    assert PendingNotification.objects.get().state == PendingNotification.State.CANCELLED
    _after_the_window(clock, django_capture_on_commit_callbacks)
    assert not Alert.objects.exists()
    assert 'data-testid="undo-panel"' not in client.get(reverse("roadmap:editor")).content.decode()


def test_undo_after_people_were_told_says_it_is_too_late(
    exports, client_for, pm, customer_a, clock, django_capture_on_commit_callbacks
):
    item, _idea = exports
    client = client_for(pm)
    client.post(
        reverse("roadmap:item_move", args=[item.pk]),
        {"column": Column.SHIPPED, "position": "0", "confirm": "1"},
    )
    undo = ItemUndo.objects.get()
    _after_the_window(clock, django_capture_on_commit_callbacks)

    response = client.post(reverse("roadmap:item_undo", args=[undo.token]), follow=True)

    assert "too late to undo" in response.content.decode()
    item.refresh_from_db()
    assert item.column == Column.SHIPPED
    assert Alert.objects.filter(recipient=customer_a).count() == 1


def test_only_the_author_may_undo(exports, pm, client_for):
    item, _idea = exports
    with services.undoable(item=item, actor=pm) as point:
        services.item_move(item=item, column=Column.SHIPPED, actor=pm)
    other_pm = type(pm).objects.create_user("other-pm", role=pm.role)

    response = client_for(other_pm).post(
        reverse("roadmap:item_undo", args=[point.undo.token]), follow=True
    )

    assert "There is nothing to undo." in response.content.decode()
    item.refresh_from_db()
    assert item.column == Column.SHIPPED


def test_a_draft_move_leaves_nothing_to_undo(pm):
    item = RoadmapItemFactory(column=Column.PLANNED, is_public=False)
    item.ideas.add(IdeaFactory())
    with services.undoable(item=item, actor=pm) as point:
        services.item_move(item=item, column=Column.SHIPPED, actor=pm)
    assert point.undo is None
    assert not PendingNotification.objects.exists()


@pytest.mark.parametrize(
    ("actor", "expected"), [("anonymous", 302), ("customer_a", 403), ("csm", 403)]
)
def test_only_editors_reach_undo(request, exports, pm, actor, expected):
    item, _idea = exports
    with services.undoable(item=item, actor=pm) as point:
        services.item_move(item=item, column=Column.SHIPPED, actor=pm)
    client = Client()
    if actor != "anonymous":
        client.force_login(request.getfixturevalue(actor))
    response = client.post(reverse("roadmap:item_undo", args=[point.undo.token]))
    assert response.status_code == expected
    item.refresh_from_db()
    assert item.column == Column.SHIPPED


def test_undo_is_a_post(exports, pm, client_for):
    item, _idea = exports
    with services.undoable(item=item, actor=pm) as point:
        services.item_move(item=item, column=Column.SHIPPED, actor=pm)
    url = reverse("roadmap:item_undo", args=[point.undo.token])
    assert client_for(pm).get(url).status_code == 405


def test_an_earlier_action_is_undone_only_after_the_later_ones(
    exports, pm, clock, django_capture_on_commit_callbacks
):
    """Undone out of order, moving "planned → in progress" back would leave the item
    planned and its idea shipped by the later move, and the voters told it shipped."""
    item, idea = exports
    with services.undoable(item=item, actor=pm) as started:
        services.item_move(item=item, column=Column.IN_PROGRESS, actor=pm)
    with services.undoable(item=item, actor=pm) as shipped:
        services.item_move(item=item, column=Column.SHIPPED, actor=pm)

    with pytest.raises(ValidationError) as refused:
        services.item_undo(token=started.undo.token, actor=pm)
    assert refused.value.code == "later"
    item.refresh_from_db()
    idea.refresh_from_db()
    assert (item.column, idea.status) == (Column.SHIPPED, IdeaStatus.SHIPPED)

    services.item_undo(token=shipped.undo.token, actor=pm)
    services.item_undo(token=started.undo.token, actor=pm)
    item.refresh_from_db()
    idea.refresh_from_db()
    assert (item.column, idea.status) == (Column.PLANNED, IdeaStatus.PLANNED)
    assert not StatusChange.objects.filter(
        to_status__in=[IdeaStatus.IN_PROGRESS, IdeaStatus.SHIPPED]
    ).exists()
    _after_the_window(clock, django_capture_on_commit_callbacks)
    assert not Alert.objects.exists()
    assert PendingNotification.objects.get().state == PendingNotification.State.CANCELLED
