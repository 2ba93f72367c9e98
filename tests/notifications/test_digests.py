"""The daily digest: one e-mail per person per local day, grouped by category, capped
with "and N more", in the recipient's language and morning, never sent twice."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext, ngettext

from core import i18n
from core.roles import Role
from notifications import services
from notifications.models import Alert, DigestEmail
from notifications.services.alerts import AlertDraft
from notifications.services.digests import DIGEST_LISTED
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

#: 08:00 in Madrid (UTC+2 in June): past the digest hour there, before it in New York.
MORNING_IN_MADRID = datetime(2026, 6, 15, 6, 0, tzinfo=UTC)


def _raise(user, kind, count, *, start=0):
    services.alerts_raise(
        AlertDraft(
            kind=kind,
            recipient_id=user.pk,
            title=i18n.deferred("Flag %(n)s", n=n),
            dedupe_key=f"{kind}:{n}",
            url=f"/ideas/risks/{n}/",
        )
        for n in range(start, start + count)
    )


@pytest.fixture
def pm():
    return UserFactory(role=Role.PM, email="pm@vendor.test", time_zone="Europe/Madrid")


def test_many_flags_become_one_grouped_capped_email(pm, django_assert_max_num_queries):
    _raise(pm, "feedback.product_risk", DIGEST_LISTED + 25)
    services.preferences_update(user=pm, choices={"health": "daily"})
    _raise(pm, "health.band_drop", 2)
    with django_assert_max_num_queries(14):
        assert services.digests_send(now=MORNING_IN_MADRID) == 1
    (message,) = mail.outbox
    assert message.to == ["pm@vendor.test"]
    assert message.subject == "Your daily digest: 37 notifications"
    body = message.body
    assert body.index("Health alerts (2)") < body.index("Product-risk flags (35)")
    assert body.count("- Flag ") == DIGEST_LISTED + 2
    assert "…and 25 more" in body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/notifications/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    assert not Alert.objects.filter(email_state=Alert.EmailState.DIGEST).exists()
    assert DigestEmail.objects.get().alert_count == 37


def test_a_retried_digest_sends_nothing_twice(pm):
    _raise(pm, "feedback.product_risk", 3)
    services.digests_send(now=MORNING_IN_MADRID)
    # A retried task, and a new flag later the same day: it waits for tomorrow.
    _raise(pm, "feedback.product_risk", 1, start=3)
    assert services.digests_send(now=MORNING_IN_MADRID) == 0
    assert services.digest_send(user_id=pm.pk, day=MORNING_IN_MADRID.date()) == 0
    assert len(mail.outbox) == 1
    tomorrow = datetime(2026, 6, 16, 6, 0, tzinfo=UTC)
    assert services.digests_send(now=tomorrow) == 1
    assert mail.outbox[1].subject == "Your daily digest: 1 notification"


def test_the_digest_waits_for_each_recipients_morning(pm):
    new_yorker = UserFactory(role=Role.PM, email="ny@vendor.test", time_zone="America/New_York")
    _raise(pm, "feedback.product_risk", 1)
    _raise(new_yorker, "feedback.product_risk", 1)
    services.digests_send(now=MORNING_IN_MADRID)  # 02:00 in New York
    assert [m.to for m in mail.outbox] == [["pm@vendor.test"]]
    services.digests_send(now=datetime(2026, 6, 15, 12, 0, tzinfo=UTC))  # 08:00 there
    assert [m.to for m in mail.outbox] == [["pm@vendor.test"], ["ny@vendor.test"]]


def test_a_refused_digest_leaves_everything_waiting(pm, settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_alert_emails.FlakyServer"
    from tests.notifications.test_alert_emails import FlakyServer

    _raise(pm, "feedback.product_risk", 2)
    FlakyServer.down = True
    try:
        assert services.digests_send(now=MORNING_IN_MADRID) == 0
    finally:
        FlakyServer.down = False
    assert not DigestEmail.objects.exists()
    assert Alert.objects.filter(email_state=Alert.EmailState.DIGEST).count() == 2
    assert services.digests_send(now=MORNING_IN_MADRID) == 1


def test_the_digest_is_written_in_the_recipients_language():
    greek = UserFactory(role=Role.PM, email="el@vendor.test", language="el", time_zone="UTC")
    _raise(greek, "feedback.product_risk", 2)
    services.digests_send(now=datetime(2026, 6, 15, 9, 0, tzinfo=UTC))
    (message,) = mail.outbox
    with translation.override("el"):
        assert message.subject == ngettext(
            "Your daily digest: %(count)d notification",
            "Your daily digest: %(count)d notifications",
            2,
        ) % {"count": 2}
        assert gettext("Product-risk flags") in message.body
    assert message.subject != "Your daily digest: 2 notifications"
