"""The recompute jobs page (admin): every run with its progress, live while one runs."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Job
from healthscores import services
from tests.accounts.factories import AccountFactory
from tests.actors import ACTORS


def _runs_url() -> str:
    return reverse("core:jobs")


@pytest.mark.django_db
def test_empty_page_explains_what_will_appear(client_for, admin_user):
    response = client_for(admin_user).get(_runs_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "No recomputes yet" in html
    assert "hx-trigger" not in html


@pytest.mark.django_db
def test_lists_scope_day_status_counts_and_errors(client_for, admin_user):
    accounts = AccountFactory.create_batch(3)
    services.recompute_now()
    services.recompute_now(account_ids=[accounts[0].pk, accounts[1].pk])
    past = services.today_utc() - timedelta(days=4)
    Job.objects.create(
        account_ids=[accounts[2].pk],
        day=past,
        raise_alerts=False,
        status=Job.Status.FAILED,
        error="Chunk 0: OperationalError: the database went away",
    )
    response = client_for(admin_user).get(_runs_url())
    html = response.content.decode()
    assert "All accounts" in html
    assert "2 accounts" in html
    assert "1 account" in html
    assert "quiet: no alerts" in html
    assert "the database went away" in html
    assert "3 / 3" in html  # accounts processed / total of the full run
    assert "badge-red" in html
    assert "badge-green" in html
    assert [run.accounts_named for run in response.context["page"]] == [1, 2, 0]


@pytest.mark.django_db
def test_polls_every_2_seconds_while_a_run_is_queued_or_running(client_for, admin_user):
    client = client_for(admin_user)
    run = Job.objects.create(is_full=True, status=Job.Status.RUNNING, chunks_total=4, chunks_done=1)
    html = client.get(_runs_url()).content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert 'value="25"' in html  # the progress bar of the running run

    # The poll itself gets the live part only; once nothing runs it stops polling.
    Job.objects.filter(pk=run.pk).update(status=Job.Status.SUCCEEDED)
    partial = client.get(_runs_url(), HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="runs-live"')
    assert "hx-trigger" not in partial
    assert "<html" not in partial


@pytest.mark.django_db
def test_times_are_shown_in_the_viewers_zone(client_for, admin_user):
    admin_user.time_zone = "America/New_York"
    admin_user.save(update_fields=["time_zone"])
    run = Job.objects.create(status=Job.Status.SUCCEEDED)
    started = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
    Job.objects.filter(pk=run.pk).update(
        requested_at=started, started_at=started, finished_at=started + timedelta(seconds=90)
    )
    html = client_for(admin_user).get(_runs_url()).content.decode()
    local = started.astimezone(zoneinfo.ZoneInfo("America/New_York"))
    assert local.isoformat() in html  # <time datetime=...> in the viewer's zone
    assert "90.0 s" in html


@pytest.mark.django_db
def test_paginates_newest_first(client_for, admin_user):
    Job.objects.bulk_create(Job(status=Job.Status.SUCCEEDED) for _ in range(30))
    client = client_for(admin_user)
    first = client.get(_runs_url()).context["page"]
    assert len(first) == 25
    assert first.has_next()
    second = client.get(_runs_url() + "?page=2").context["page"]
    assert len(second) == 5
    assert first[0].pk > second[0].pk


@pytest.mark.django_db
def test_recompute_all_queues_a_full_run(
    client_for, admin_user, django_capture_on_commit_callbacks
):
    AccountFactory.create_batch(2)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin_user).post(
            reverse("core:jobs_recompute_all"), {"kind": "health"}
        )
    assert response["Location"] == _runs_url()
    run = Job.objects.get()
    assert run.is_full
    assert run.status == Job.Status.SUCCEEDED
    assert run.accounts_processed == 2


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Job.Status.QUEUED, Job.Status.RUNNING])
def test_recompute_all_does_not_queue_a_second_full_run(client_for, admin_user, status):
    running = Job.objects.create(is_full=True, status=status)
    response = client_for(admin_user).post(
        reverse("core:jobs_recompute_all"), {"kind": "health"}, follow=True
    )
    assert f"Recompute #{running.pk} (Health) is already" in response.content.decode()
    assert Job.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
def test_only_admins_see_and_start_recomputes(actors, actor):
    page = actors[actor].get(_runs_url())
    start = actors[actor].post(reverse("core:jobs_recompute_all"), {"kind": "health"})
    if actor == "admin":
        assert (page.status_code, start.status_code) == (200, 302)
        return
    for response in (page, start):
        if actor == "anonymous":
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("login") + "?next=")
        else:
            assert response.status_code == 403
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_runs_page_runs_a_constant_number_of_queries(client_for, admin_user):
    client = client_for(admin_user)
    account = AccountFactory()
    services.recompute_now(account_ids=[account.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_runs_url()).status_code == 200
        return len(queries)

    few = count()
    accounts = AccountFactory.create_batch(3)
    for _ in range(20):
        services.recompute_now(account_ids=[a.pk for a in accounts])
    Job.objects.create(is_full=True, status=Job.Status.RUNNING)
    assert count() == few <= 7
