"""Every recompute records its cause, and the health alerts it raises name it: a
person's own action never alerts that person, and nobody gets an alert that does not
say who or what moved the account."""

from __future__ import annotations

import pytest
from django.utils import translation

from accounts.models import DailyEventContact, DailyUsage, Ticket
from accounts.signals import announce_account_data_changed
from core import jobs
from core.models import Job
from healthscores import services, tasks
from notifications.models import Alert
from tests.accounts.factories import AccountFactory, TicketFactory, UserFactory
from tests.healthscores.test_engine import days_ago, snapshot, thriving

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]


def green_yesterday_quiet_today(account):
    """Green yesterday; today the account has gone quiet, with urgent tickets open."""
    thriving(account, day=days_ago(1))
    services.recompute_now(account_ids=[account.pk], day=days_ago(1))
    assert snapshot(account, days_ago(1)).band == "green"
    DailyEventContact.objects.filter(account=account).delete()
    DailyUsage.objects.filter(account=account, day=days_ago(1)).delete()
    TicketFactory.create_batch(6, account=account, priority=Ticket.Priority.URGENT)


def test_a_csm_setting_sentiment_is_not_alerted_about_their_own_action():
    csm = UserFactory(role="csm", first_name="Ana", last_name="Ruiz")
    account = AccountFactory(csm_owner=csm, licensed_seats=10)
    green_yesterday_quiet_today(account)

    services.sentiment_set(account=account, value="red", comment="Champion left.", set_by=csm)

    assert snapshot(account).band == "red"
    job = Job.objects.get(day=services.today_utc(), account_ids=[account.pk])
    assert (job.cause, job.cause_actor) == (Job.Cause.ACTION, csm)
    assert not Alert.objects.exists()
    # A later recompute of the same day (tracked events, the nightly run) finds the
    # day already red: no news, so no alert arrives late under another cause.
    services.recompute_now(account_ids=[account.pk], cause=jobs.cause_tracking())
    assert not Alert.objects.exists()


def test_another_persons_action_alerts_the_owner_and_says_who_did_what():
    owner = UserFactory(role="csm", language="es")
    colleague = UserFactory(role="csm", first_name="Ana", last_name="Ruiz")
    account = AccountFactory(csm_owner=owner, licensed_seats=10)
    green_yesterday_quiet_today(account)

    services.sentiment_set(account=account, value="red", comment="Champion left.", set_by=colleague)

    alert = Alert.objects.get()
    assert alert.recipient == owner
    assert alert.body.endswith("It changed after Ana Ruiz set the sentiment to Red.")
    with translation.override("es"):
        assert "Ana Ruiz" in alert.shown_body()
        assert "Rojo" in alert.shown_body()
        assert "It changed" not in alert.shown_body()


def test_an_import_names_itself_in_the_alert_and_alerts_whoever_started_it():
    csm = UserFactory(role="csm")
    account = AccountFactory(csm_owner=csm, licensed_seats=10)
    green_yesterday_quiet_today(account)
    cause = jobs.cause_import(import_id=42, kind="Tickets", file_name="tickets.csv")

    services.recompute_now(account_ids=[account.pk], cause=cause)

    alert = Alert.objects.get()
    assert alert.recipient == csm
    assert alert.body.endswith("It changed after import #42 (Tickets, tickets.csv).")


def test_the_nightly_run_says_so():
    csm = UserFactory(role="csm")
    account = AccountFactory(csm_owner=csm, licensed_seats=10)
    green_yesterday_quiet_today(account)

    tasks.recompute_health_all()  # queued after commit; a worker runs it

    job = Job.objects.get(kind="health", is_full=True)
    assert job.cause == Job.Cause.SCHEDULED
    jobs.job_run(job_id=job.pk, inline=True)
    assert Alert.objects.get().body.endswith("It changed in the nightly recompute.")


def test_an_announcement_carries_its_cause_to_every_recompute_it_wakes():
    account = AccountFactory()
    announce_account_data_changed([account.pk], cause=jobs.cause_tracking())
    kinds = dict(Job.objects.filter(kind__in=["health", "ttfv"]).values_list("kind", "cause"))
    assert kinds == {"health": Job.Cause.TRACKING, "ttfv": Job.Cause.TRACKING}


def test_requests_of_different_causes_never_fold_into_one_job():
    ana = UserFactory(role="csm")
    first, second = AccountFactory(), AccountFactory()
    tracked = services.recompute_request(account_ids=[first.pk], cause=jobs.cause_tracking())
    again = services.recompute_request(account_ids=[second.pk], cause=jobs.cause_tracking())
    by_ana = services.recompute_request(
        account_ids=[second.pk],
        cause=jobs.cause_action(actor_id=ana.pk, text={"msgid": "x", "params": {}}),
    )
    assert again == tracked
    tracked.refresh_from_db()
    assert sorted(tracked.account_ids) == sorted([first.pk, second.pk])
    assert by_ana != tracked
    assert by_ana.cause_actor == ana
