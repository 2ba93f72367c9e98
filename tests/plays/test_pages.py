"""The cockpit, the account's tasks panel (htmx and plain posts), the task page, the
manager view, the editors and the report: what each shows, in constant queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import RenewalOutcome
from core.jobs import today_utc
from healthscores.models import Band
from plays import services
from plays.models import Play, Playbook, Rule, Task
from tests.accounts.factories import AccountFactory, UserFactory
from tests.healthscores.factories import AccountHealthFactory, HealthSnapshotFactory
from tests.plays.factories import PlaybookFactory, PlayFactory, TaskFactory

pytestmark = pytest.mark.django_db


def _book(csm, n: int) -> None:
    today = timezone.localdate()
    for i in range(n):
        account = AccountFactory(csm_owner=csm, renews_on=today + timedelta(days=30 + i))
        AccountHealthFactory(account=account, band=Band.RED)
        HealthSnapshotFactory(account=account, day=today_utc() - timedelta(days=8), band=Band.GREEN)
        TaskFactory(account=account, owner=csm, due_on=today - timedelta(days=1))
        TaskFactory(account=account, owner=csm, due_on=today)
        PlayFactory(account=account)


def test_cockpit_sections(csm, client_for):
    today = timezone.localdate()
    _book(csm, 2)
    calm = AccountFactory(csm_owner=csm, name="Quiet Renewal", renews_on=today + timedelta(days=20))
    response = client_for(csm).get(reverse("plays:today"))
    assert response.status_code == 200
    sections = response.context["cockpit"].sections
    assert (sections["overdue"].count, sections["today"].count) == (2, 2)
    assert len(sections["plays"].rows) == 2
    assert len(sections["bands"].rows) == 2
    assert [a.pk for a in sections["renewals"].rows] == [calm.pk]
    assert "Quiet Renewal" in response.content.decode()
    # Looked at: the same plays are no longer new.
    again = client_for(csm).get(reverse("plays:today"))
    assert again.context["cockpit"].sections["plays"].rows == []


def test_cockpit_filters(csm, client_for):
    _book(csm, 2)
    AccountFactory(csm_owner=csm, segment="Enterprise", name="Big One")
    response = client_for(csm).get(reverse("plays:today"), {"kind": "overdue"})
    assert set(response.context["cockpit"].sections) == {"overdue"}
    response = client_for(csm).get(reverse("plays:today"), {"segment": "Enterprise"})
    assert response.context["cockpit"].sections["overdue"].count == 0


def test_cockpit_runs_constant_queries(csm, client_for, django_assert_max_num_queries):
    _book(csm, 2)
    client = client_for(csm)
    client.get(reverse("plays:today"))
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("plays:today"))
    _book(csm, 10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("plays:today"))


def test_a_csm_lands_on_the_cockpit(csm, client_for):
    response = client_for(csm).get("/")
    assert response["Location"] == reverse("plays:today")


def test_the_account_panel_adds_and_completes_tasks_with_htmx(csm, client_for, account_a):
    client = client_for(csm)
    url = reverse("plays:task_create", args=[account_a.pk])
    data = {
        "title": "Send the QBR deck",
        "due_on": timezone.localdate().isoformat(),
        "priority": "high",
    }
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Send the QBR deck" in response.content.decode()
    task = Task.objects.get()
    response = client.post(reverse("plays:task_complete", args=[task.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    task.refresh_from_db()
    assert task.status == Task.Status.DONE


def test_the_account_panel_works_without_javascript(csm, client_for, account_a):
    client = client_for(csm)
    url = reverse("plays:task_create", args=[account_a.pk])
    response = client.post(url, {"title": "", "due_on": "", "priority": "normal"})
    assert response.status_code == 302
    assert Task.objects.count() == 0
    response = client.post(
        url,
        {"title": "Call", "due_on": timezone.localdate().isoformat(), "priority": "normal"},
        follow=True,
    )
    assert "Call" in response.content.decode()
    assert response.redirect_chain[-1][0].endswith(f"/accounts/{account_a.pk}/#tasks")


def test_the_htmx_form_shows_its_errors_in_place(csm, client_for, account_a):
    response = client_for(csm).post(
        reverse("plays:task_create", args=[account_a.pk]),
        {"title": "", "due_on": "", "priority": "normal"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_the_account_page_shows_the_panel_in_constant_queries(
    csm, client_for, account_a, django_assert_max_num_queries
):
    client = client_for(csm)
    url = reverse("accounts:detail", args=[account_a.pk])
    TaskFactory(account=account_a, owner=csm)
    client.get(url)
    with django_assert_max_num_queries(60) as few:
        client.get(url)
    for _ in range(10):
        TaskFactory(account=account_a, owner=csm, play=PlayFactory(account=account_a))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert 'id="tasks"' in response.content.decode()


def test_task_page_and_comment(csm, client_for, account_a):
    task = TaskFactory(account=account_a, owner=csm, title="Check the export")
    client = client_for(csm)
    client.post(reverse("plays:task_comment", args=[task.pk]), {"body": "Asked **support**"})
    response = client.get(reverse("plays:task", args=[task.pk]))
    assert "Asked **support**" in response.content.decode()


def test_manager_view_counts_per_csm(admin_user, csm, client_for):
    _book(csm, 3)
    UserFactory(role="csm", username="idle")
    response = client_for(admin_user).get(reverse("plays:manager"))
    rows = {row.user.username: row for row in response.context["rows"]}
    assert (rows["csm"].open_tasks, rows["csm"].overdue, rows["csm"].plays_started) == (6, 3, 3)
    assert rows["idle"].open_tasks == 0


def test_playbook_editor_previews_then_saves(admin_user, client_for):
    client = client_for(admin_user)
    data = {
        "name": "Red rescue",
        "description": "",
        "steps-TOTAL_FORMS": "2",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "20",
        "steps-0-title": "Call the sponsor",
        "steps-0-how_to": "Ask *why*. <script>alert(1)</script>",
        "steps-0-due_in_days": "1",
        "steps-0-owner_kind": "csm",
        "steps-1-title": "",
        "steps-1-due_in_days": "0",
        "steps-1-owner_kind": "csm",
    }
    preview = client.post(reverse("plays:playbook_new"), {**data, "preview": "1"})
    body = preview.content.decode()
    assert preview.status_code == 200
    assert "Call the sponsor" in body
    assert "<em>why</em>" in body
    assert "<script>alert(1)" not in body
    assert not Playbook.objects.exists()
    saved = client.post(reverse("plays:playbook_new"), data)
    playbook = Playbook.objects.get()
    assert saved["Location"] == reverse("plays:playbook_edit", args=[playbook.pk])
    assert [s.title for s in playbook.steps.all()] == ["Call the sponsor"]


def test_playbook_editor_refuses_a_playbook_without_steps(admin_user, client_for):
    data = {
        "name": "Empty",
        "steps-TOTAL_FORMS": "0",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "20",
    }
    response = client_for(admin_user).post(reverse("plays:playbook_new"), data)
    assert response.status_code == 400
    assert not Playbook.objects.exists()


def test_rule_editor_saves_a_rule(admin_user, client_for):
    playbook = PlaybookFactory()
    response = client_for(admin_user).post(
        reverse("plays:rule_new"),
        {
            "name": "Red accounts",
            "playbook": playbook.pk,
            "trigger": "band",
            "band": "red",
            "threshold": "40",
            "days": "30",
            "segment": "",
            "cooldown_days": "30",
            "enabled": "on",
        },
    )
    assert response.status_code == 302
    assert Rule.objects.get().name == "Red accounts"


def test_report_compares_and_says_when_the_sample_is_small(csm, client_for, clock):
    playbook = PlaybookFactory()
    start = today_utc() - timedelta(days=40)
    for i in range(3):
        played = AccountFactory()
        play = PlayFactory(
            playbook=playbook,
            account=played,
            band_at_start="red",
            started_at=timezone.now() - timedelta(days=40),
            state=Play.State.COMPLETED,
            finished_at=timezone.now() - timedelta(days=40 - (i + 1)),
        )
        HealthSnapshotFactory(account=played, day=start, band=Band.RED)
        HealthSnapshotFactory(account=played, day=start + timedelta(days=30), band=Band.GREEN)
        assert play.pk
    compared = AccountFactory()
    HealthSnapshotFactory(account=compared, day=start, band=Band.RED)
    HealthSnapshotFactory(account=compared, day=start + timedelta(days=30), band=Band.RED)
    RenewalOutcome.objects.create(
        account=compared,
        renewed_on=start + timedelta(days=10),
        outcome="churned",
        arr_before=1000,
        arr_after=0,
    )
    response = client_for(csm).get(reverse("plays:report", args=[playbook.pk]))
    report = response.context["report"]
    assert (report.started, report.completed) == (3, 3)
    assert report.median_days == pytest.approx(2.0)
    thirty = report.horizons[0]
    assert (thirty.played.accounts, thirty.played.green) == (3, 3)
    assert (thirty.comparison.accounts, thirty.comparison.green) == (1, 0)
    assert thirty.too_small
    assert 'data-testid="report-too-small"' in response.content.decode()


def test_starting_a_play_from_the_account_page(csm, client_for, account_a):
    playbook = PlaybookFactory(name="Renewal prep")
    client = client_for(csm)
    url = reverse("plays:play_start", args=[account_a.pk])
    client.post(url, {"playbook": playbook.pk})
    client.post(url, {"playbook": playbook.pk})
    assert Play.objects.filter(account=account_a).count() == 1
    assert services.rules_evaluate().started == 0
