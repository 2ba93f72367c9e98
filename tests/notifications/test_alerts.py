"""The alert inbox: a person's own alerts, acknowledging them, the unread count in the
navigation, and band-drop alerts raised by a real health recompute."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from healthscores import services
from notifications.models import Alert
from tests.accounts.factories import AccountFactory
from tests.actors import ACTORS
from tests.healthscores.factories import green_then_yellow_data
from tests.notifications.factories import AlertFactory

pytestmark = pytest.mark.django_db

INBOX = reverse("notifications:inbox")


def _ack(alert) -> str:
    return reverse("notifications:acknowledge", args=[alert.pk])


def _titles(response) -> list[str]:
    return [alert.title for alert in response.context["page"]]


# --- Permission matrix -------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "expected"), list(zip(ACTORS, ["login", 200, 200, 200, 200], strict=True))
)
def test_inbox_access(actors, actor, expected):
    response = actors[actor].get(INBOX)
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(
    ("actor", "expected"), list(zip(ACTORS, ["login", 404, 404, 404, 404], strict=True))
)
def test_nobody_acknowledges_someone_elses_alert(actors, actor, expected):
    alert = AlertFactory()  # addressed to another CSM
    response = actors[actor].post(_ack(alert))
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    else:
        assert response.status_code == expected
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_acknowledge_is_post_only(client_for, csm):
    alert = AlertFactory(recipient=csm)
    assert client_for(csm).get(_ack(alert)).status_code == 405


# --- The list ---------------------------------------------------------------------------


def test_inbox_lists_own_alerts_newest_first_open_tab_first(client_for, csm):
    older = AlertFactory(recipient=csm, title="Older")
    AlertFactory(recipient=csm, title="Newer")
    done = AlertFactory(recipient=csm, title="Done", acknowledged_at=timezone.now())
    AlertFactory(title="Someone else's")
    Alert.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(hours=2))
    Alert.objects.filter(pk=done.pk).update(created_at=timezone.now() - timedelta(hours=1))
    client = client_for(csm)
    assert _titles(client.get(INBOX)) == ["Newer", "Older"]
    assert _titles(client.get(INBOX, {"tab": "all"})) == ["Newer", "Done", "Older"]
    assert _titles(client.get(INBOX, {"tab": "bogus"})) == ["Newer", "Older"]
    assert "Someone else" not in client.get(INBOX, {"tab": "all"}).content.decode()


def test_row_shows_severity_account_open_link_and_time_in_the_viewers_zone(client_for, csm):
    csm.time_zone = "Asia/Tokyo"
    csm.save()
    account = AccountFactory(name="Globex")
    alert = AlertFactory(
        recipient=csm, account=account, severity=Alert.Severity.CRITICAL, body="Score 31"
    )
    Alert.objects.filter(pk=alert.pk).update(created_at=datetime(2026, 3, 1, 23, 30, tzinfo=UTC))
    html = client_for(csm).get(INBOX).content.decode()
    row = html[html.index(f'id="alert-{alert.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "badge-red" in row
    assert "Critical" in row
    assert "Score 31" in row
    assert f'href="{reverse("accounts:detail", args=[account.pk])}">Globex' in row
    assert f'href="{alert.url}"' in row
    assert "Open" in row
    assert "March 2, 2026, 8:30" in row  # 23:30 UTC is 08:30 next day in Tokyo
    assert 'hx-post="' + _ack(alert) in row


def test_inbox_is_paginated(client_for, csm):
    AlertFactory.create_batch(27, recipient=csm)
    client = client_for(csm)
    first = client.get(INBOX)
    assert len(first.context["page"]) == 25
    second = client.get(INBOX, {"page": 2})
    assert len(second.context["page"]) == 2
    assert "Page 2 of 2" in second.content.decode()


def test_empty_states(client_for, csm):
    client = client_for(csm)
    assert "Nothing unread" in client.get(INBOX).content.decode()
    assert "No notifications yet" in client.get(INBOX, {"tab": "all"}).content.decode()


@pytest.mark.parametrize("count", [2, 30])
def test_inbox_query_count_does_not_grow(client_for, csm, count, django_assert_max_num_queries):
    AlertFactory.create_batch(count, recipient=csm)
    client = client_for(csm)
    # session, user, count, page of alerts with accounts, unread count in the navigation
    with django_assert_max_num_queries(5):
        response = client.get(INBOX)
    assert response.status_code == 200


# --- Acknowledging --------------------------------------------------------------------


def test_htmx_acknowledge_swaps_the_row_and_the_unread_count(client_for, csm):
    alert, _other = AlertFactory.create_batch(2, recipient=csm)
    response = client_for(csm).post(_ack(alert), {"tab": "open"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="alert-{alert.pk}" class="is-acknowledged"')
    assert "Read " in html
    assert "hx-post" not in html
    assert 'id="nav-alert-count" class="nav-count" hx-swap-oob="true">' in html
    assert '<span class="visually-hidden">, </span>1<' in html
    alert.refresh_from_db()
    assert alert.acknowledged_at is not None


def test_plain_acknowledge_redirects_to_the_same_tab_and_page(client_for, csm):
    alert = AlertFactory(recipient=csm)
    response = client_for(csm).post(_ack(alert), {"tab": "all", "page": "2"})
    assert response.status_code == 302
    assert response["Location"] == INBOX + "?tab=all&page=2"
    alert.refresh_from_db()
    first = alert.acknowledged_at
    assert first is not None
    client_for(csm).post(_ack(alert))  # twice: keeps the first time
    alert.refresh_from_db()
    assert alert.acknowledged_at == first


# --- Navigation ---------------------------------------------------------------------------


def test_navigation_shows_notifications_and_the_unread_count_to_signed_in_people(
    actors, csm, customer_a
):
    AlertFactory.create_batch(3, recipient=csm)
    AlertFactory(recipient=csm, acknowledged_at=timezone.now())
    AlertFactory(recipient=customer_a, account=None, url="")
    html = actors["csm"].get(reverse("roadmap:public")).content.decode()
    nav = html[html.index('class="site-nav"') : html.index("</nav>")]
    assert f'href="{INBOX}"' in nav
    assert "Notifications" in nav
    assert '<span class="visually-hidden">, </span>3<span class="visually-hidden"> unread' in nav
    html = actors["customer"].get(reverse("roadmap:public")).content.decode()
    nav = html[html.index('class="site-nav"') : html.index("</nav>")]
    assert f'href="{INBOX}"' in nav
    assert '<span class="visually-hidden">, </span>1<span class="visually-hidden"> unread' in nav
    assert (
        f'href="{INBOX}"' not in actors["anonymous"].get(reverse("roadmap:public")).content.decode()
    )


def test_the_unread_count_costs_one_query_when_signed_in_and_none_when_anonymous(actors):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(actor):
        with CaptureQueriesContext(connection) as captured:
            actors[actor].get(reverse("roadmap:changelog"))
        return [q["sql"] for q in captured.captured_queries if "accounts_alert" in q["sql"]]

    assert len(queries("pm")) == 1
    assert len(queries("customer")) == 1
    assert queries("anonymous") == []


# --- Band drops through the real engine --------------------------------------------------


def test_band_drop_raises_one_alert_and_one_email_to_the_csm(
    client_for, csm, mailoutbox, django_capture_on_commit_callbacks
):
    """GIVEN an account that was green yesterday and turns yellow today
    WHEN health is recomputed for both days, and today again
    THEN its CSM has one alert in the inbox and one e-mail, never a duplicate."""
    today = services.today_utc()
    account = AccountFactory(name="Initech", licensed_seats=1, csm_owner=csm)
    green_then_yellow_data(account, today)
    with django_capture_on_commit_callbacks(execute=True):
        services.recompute_now(account_ids=[account.pk], day=today - timedelta(days=1))
        services.recompute_now(account_ids=[account.pk], day=today)
    with django_capture_on_commit_callbacks(execute=True):
        services.recompute_now(account_ids=[account.pk], day=today)  # again: no duplicate

    alert = Alert.objects.get()
    assert (alert.recipient, alert.account, alert.severity) == (
        csm,
        account,
        Alert.Severity.WARNING,
    )
    assert alert.title == "Initech dropped from Green to Yellow"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [csm.email]
    assert mailoutbox[0].subject == alert.title
    assert f"/accounts/{account.pk}/#health" in mailoutbox[0].body
    assert INBOX in mailoutbox[0].body  # the e-mail links to this inbox

    response = client_for(csm).get(INBOX)
    assert _titles(response) == ["Initech dropped from Green to Yellow"]
    assert "badge-yellow" in response.content.decode()
