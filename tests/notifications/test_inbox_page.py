"""The notifications page as customers use it: their own notifications only, marking
them read one by one or all at once, and the unread count in the navigation."""

from __future__ import annotations

import factory
import pytest
from django.urls import reverse
from django.utils import timezone
from factory.django import DjangoModelFactory

from core.roles import Role
from feedback import services as feedback_services
from feedback.notifications import KIND_IDEA
from notifications.models import Alert
from notifications.services.alerts import alerts_acknowledge_all
from roadmap import services as roadmap_services
from roadmap.models import Column
from tests.accounts.factories import UserFactory
from tests.feedback.factories import IdeaFactory

pytestmark = pytest.mark.django_db

INBOX = reverse("notifications:inbox")
ALL_READ = reverse("notifications:acknowledge_all")


class NotificationFactory(DjangoModelFactory):
    """An idea notification as the fan-out raises it: no account attached."""

    class Meta:
        model = Alert

    kind = KIND_IDEA
    severity = Alert.Severity.INFO
    recipient = factory.SubFactory(UserFactory, role=Role.CUSTOMER)
    title = factory.Sequence(lambda n: f"Notification {n}")
    url = "/changelog/"
    dedupe_key = factory.Sequence(lambda n: f"test-notification:{n}")


def _nav(html: str) -> str:
    return html[html.index('class="site-nav"') : html.index("</nav>")]


def test_customer_sees_only_their_own_notifications(client_for, customer_a, customer_b):
    NotificationFactory(recipient=customer_a, title="Yours: export shipped")
    NotificationFactory(recipient=customer_b, title="Theirs: SSO planned")
    response = client_for(customer_a).get(INBOX, {"tab": "all"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Yours: export shipped" in html
    assert "Theirs" not in html
    assert "<h1>Notifications</h1>" in html
    # No account column (nor links to account pages) for customers.
    assert ">Account<" not in html
    assert "/accounts/" not in html.replace(INBOX, "").replace(ALL_READ, "")


def test_customer_cannot_mark_someone_elses_notification_read(client_for, customer_a, customer_b):
    theirs = NotificationFactory(recipient=customer_b)
    response = client_for(customer_a).post(reverse("notifications:acknowledge", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.acknowledged_at is None


def test_mark_all_as_read_marks_only_your_unread_ones(client_for, customer_a, customer_b):
    mine = NotificationFactory.create_batch(3, recipient=customer_a)
    earlier = timezone.now() - timezone.timedelta(days=2)
    already = NotificationFactory(recipient=customer_a, acknowledged_at=earlier)
    theirs = NotificationFactory(recipient=customer_b)
    client = client_for(customer_a)
    html = client.get(INBOX).content.decode()
    assert "Mark all as read" in html
    response = client.post(ALL_READ, {"tab": "open"}, follow=True)
    assert response.redirect_chain == [(INBOX + "?tab=open", 302)]
    html = response.content.decode()
    assert "3 notifications marked as read." in html
    assert "Nothing unread" in html
    assert "Mark all as read" not in html
    for alert in mine:
        alert.refresh_from_db()
        assert alert.acknowledged_at is not None
    already.refresh_from_db()
    assert already.acknowledged_at == earlier  # the first read time stays
    theirs.refresh_from_db()
    assert theirs.acknowledged_at is None


def test_mark_all_as_read_with_nothing_unread(client_for, customer_a):
    response = client_for(customer_a).post(ALL_READ, follow=True)
    assert "Nothing was unread." in response.content.decode()


def test_mark_all_as_read_is_post_only_and_for_signed_in_people(client, client_for, customer_a):
    assert client_for(customer_a).get(ALL_READ).status_code == 405
    response = client.post(ALL_READ)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_acknowledge_all_service_returns_how_many(customer_a):
    NotificationFactory.create_batch(2, recipient=customer_a)
    assert alerts_acknowledge_all(user=customer_a) == 2
    assert alerts_acknowledge_all(user=customer_a) == 0


def test_unread_count_in_the_navigation_follows_reading(client_for, customer_a):
    first, _second = NotificationFactory.create_batch(2, recipient=customer_a)
    client = client_for(customer_a)
    unread = '<span class="visually-hidden">, </span>{}<span class="visually-hidden"> unread'
    nav = _nav(client.get(reverse("roadmap:public")).content.decode())
    assert f'href="{INBOX}">Notifications' in nav
    assert unread.format(2) in nav
    response = client.post(
        reverse("notifications:acknowledge", args=[first.pk]),
        {"tab": "open"},
        HTTP_HX_REQUEST="true",
    )
    assert unread.format(1) in response.content.decode()  # out-of-band swap of the count
    client.post(ALL_READ)
    nav = _nav(client.get(reverse("roadmap:public")).content.decode())
    assert "unread" not in nav


def test_a_shipped_roadmap_item_reaches_the_customers_notifications(
    client_for, customer_a, pm, django_capture_on_commit_callbacks
):
    """GIVEN a customer who voted for two ideas, WHEN a public item carrying both ships,
    THEN one notification links to the item on the changelog."""
    ideas = [IdeaFactory(title="Export to CSV"), IdeaFactory(title="Export to Excel")]
    for idea in ideas:
        feedback_services.vote_cast(idea=idea, actor=customer_a)
    with django_capture_on_commit_callbacks(execute=True):
        item = roadmap_services.item_create(
            title="Spreadsheet exports", actor=pm, column=Column.IN_PROGRESS, is_public=True
        )
        roadmap_services.item_link_ideas(item=item, ideas=ideas, actor=pm)
        roadmap_services.item_move(item=item, column=Column.SHIPPED, actor=pm)
    html = client_for(customer_a).get(INBOX).content.decode()
    assert html.count('<span class="cell-title">Shipped: Spreadsheet exports</span>') == 1
    assert f'href="/changelog/{item.pk}/"' in html
