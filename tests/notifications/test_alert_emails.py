"""E-mailing alerts: an alert is marked sent only once the mail server accepted it, one
bad alert never holds back the others, and two workers never send one twice.

The mail server is the outside world, so it is the one thing replaced here: a locmem
backend that can refuse a recipient, or be unreachable, like a real SMTP server."""

from __future__ import annotations

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from core.roles import Role
from notifications import services
from notifications.models import Alert
from notifications.services.alerts import EMAIL_MAX_ATTEMPTS, AlertDraft
from tests.accounts.factories import UserFactory
from tests.concurrency import race
from tests.notifications.test_alerts import AlertFactory

pytestmark = pytest.mark.django_db

BACKEND = "tests.notifications.test_alert_emails.FlakyServer"


class FlakyServer(EmailBackend):
    """locmem, plus the refusals of a real server: ``refuse`` recipients are rejected
    one by one; while ``down`` the server cannot be reached at all."""

    refuse: set[str] = set()
    down = False

    def send_messages(self, messages):
        if FlakyServer.down:
            raise ConnectionRefusedError(111, "Connection refused")
        for message in messages:
            refused = set(message.to) & FlakyServer.refuse
            if refused:
                raise smtplib.SMTPRecipientsRefused(dict.fromkeys(refused, (550, b"No such user")))
        return super().send_messages(messages)


@pytest.fixture
def server(settings):
    settings.EMAIL_BACKEND = BACKEND
    FlakyServer.refuse = set()
    FlakyServer.down = False
    mail.outbox = []
    yield FlakyServer
    FlakyServer.refuse = set()
    FlakyServer.down = False


def _csm(email: str):
    return UserFactory(role=Role.CSM, email=email)


def test_a_line_break_in_a_stored_title_is_sent_on_one_line_with_the_others(server):
    """Alerts stored before titles refused control characters still go out, and a title
    with CR/LF never becomes a header injection or a BadHeaderError."""
    bad = AlertFactory(title="Idea\r\nBcc: everyone@example.com", recipient=_csm("a@x.test"))
    good = AlertFactory(title="Initech turned red", recipient=_csm("b@x.test"))

    assert services.alert_emails_send() == 2

    assert sorted(m.subject for m in mail.outbox) == [
        "Idea Bcc: everyone@example.com",
        "Initech turned red",
    ]
    assert all(m.bcc == [] for m in mail.outbox)
    for alert in (bad, good):
        alert.refresh_from_db()
        assert alert.email_state == Alert.EmailState.SENT
        assert alert.emailed_at is not None


def test_raising_an_alert_stores_its_title_on_one_line(server):
    csm = _csm("c@x.test")
    services.alerts_raise(
        [AlertDraft(kind="t", recipient_id=csm.pk, title="Two\nlines\x00", dedupe_key="k")]
    )
    assert Alert.objects.get().title == "Two lines"


def test_a_refused_recipient_is_recorded_and_never_blocks_the_others(server):
    refused = AlertFactory(recipient=_csm("gone@x.test"))
    others = AlertFactory.create_batch(3, recipient=_csm("here@x.test"))
    server.refuse = {"gone@x.test"}

    assert services.alert_emails_send() == 3

    assert len(mail.outbox) == 3
    refused.refresh_from_db()
    assert refused.email_state == Alert.EmailState.PENDING
    assert refused.emailed_at is None
    assert refused.email_attempts == 1
    assert "SMTPRecipientsRefused" in refused.email_error
    assert {a.email_state for a in Alert.objects.filter(pk__in=[o.pk for o in others])} == {
        Alert.EmailState.SENT
    }


def test_an_e_mail_refused_every_time_is_given_up_after_the_last_attempt(server):
    refused = AlertFactory(recipient=_csm("gone@x.test"))
    server.refuse = {"gone@x.test"}

    for _attempt in range(EMAIL_MAX_ATTEMPTS + 2):
        services.alert_emails_send()

    refused.refresh_from_db()
    assert (refused.email_state, refused.email_attempts) == (
        Alert.EmailState.FAILED,
        EMAIL_MAX_ATTEMPTS,
    )
    assert refused.emailed_at is None
    assert mail.outbox == []


def test_while_the_server_is_down_nothing_is_marked_and_the_next_run_sends_all(server):
    alerts = AlertFactory.create_batch(4, recipient=_csm("d@x.test"))
    server.down = True

    assert services.alert_emails_send() == 0

    states = list(Alert.objects.values_list("email_state", "email_attempts").order_by("pk"))
    # The first try found the server away: the run stopped, and no alert lost an attempt.
    assert states == [("pending", 0)] * 4
    assert mail.outbox == []
    assert not Alert.objects.filter(emailed_at__isnull=False).exists()

    server.down = False
    assert services.alert_emails_send() == len(alerts)
    assert len(mail.outbox) == len(alerts)


def test_a_worker_dying_mid_send_leaves_the_alert_waiting(server, monkeypatch):
    """The old code claimed the alert (marked it e-mailed) before sending: a worker
    killed in between lost the e-mail for good."""
    alert = AlertFactory(recipient=_csm("e@x.test"))

    def killed(self, messages):
        raise SystemExit("worker killed")

    monkeypatch.setattr(FlakyServer, "send_messages", killed)
    with pytest.raises(SystemExit):
        services.alert_emails_send()

    alert.refresh_from_db()
    assert (alert.email_state, alert.emailed_at) == (Alert.EmailState.PENDING, None)


def test_a_recipient_without_an_address_is_not_counted_as_sent(server):
    alert = AlertFactory(recipient=_csm(""))
    assert services.alert_emails_send() == 0
    alert.refresh_from_db()
    assert (alert.email_state, alert.emailed_at) == (Alert.EmailState.NO_ADDRESS, None)


@pytest.mark.needs_postgres
def test_workers_sending_at_once_send_each_alert_exactly_once(server, transactional_db):
    AlertFactory.create_batch(40, recipient=_csm("f@x.test"))

    results = race([services.alert_emails_send for _worker in range(4)], threads=4)

    assert sum(results) == 40
    assert len(mail.outbox) == 40
    assert Alert.objects.filter(email_state=Alert.EmailState.SENT).count() == 40


def test_an_admin_sends_a_given_up_e_mail_again_and_never_a_sent_one(
    server, admin_client, django_capture_on_commit_callbacks
):
    gone = _csm("gone@x.test")
    given_up = AlertFactory(recipient=gone)
    sent = AlertFactory(recipient=_csm("g@x.test"))
    server.refuse = {"gone@x.test"}
    for _attempt in range(EMAIL_MAX_ATTEMPTS):
        services.alert_emails_send()
    given_up.refresh_from_db()
    assert given_up.email_state == Alert.EmailState.FAILED
    server.refuse = set()  # the address was fixed at the mail server
    mail.outbox = []

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/notifications/alert/",
            {"action": "email_again", "_selected_action": [given_up.pk, sent.pk]},
            follow=True,
        )

    assert "1 e-mail will be sent again." in response.content.decode()
    # The action queued the send once committed; tasks run inline in tests.
    assert [m.to for m in mail.outbox] == [["gone@x.test"]]
    given_up.refresh_from_db()
    assert (given_up.email_state, given_up.email_attempts) == (Alert.EmailState.SENT, 0)
