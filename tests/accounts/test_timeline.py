"""The account timeline: every app's source, the merge and its paging, the page, the
API, and who may read it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Note
from accounts.selectors import account_timeline_page
from core.roles import Role
from core.timeline import Cursor, account_timeline, timeline_sources
from healthscores.models import Band
from ingest.models import ImportedAccount
from tests.accounts.factories import AccountFactory, ContactFactory, NoteFactory, UserFactory
from tests.feedback.factories import IdeaFactory, VoteFactory
from tests.healthscores.factories import (
    HealthOverrideFactory,
    HealthSnapshotFactory,
    SentimentFactory,
)
from tests.ingest.factories import ImportJobFactory
from tests.notifications.factories import AlertFactory
from tests.ttfv.factories import MilestoneFactory

pytestmark = pytest.mark.django_db


def _one_of_each(account, author):
    """One entry of every kind, in a known order: the newest is the note."""
    now = timezone.now()
    today = now.date()
    HealthSnapshotFactory(account=account, day=today - timedelta(days=9), band=Band.GREEN)
    HealthSnapshotFactory(account=account, day=today - timedelta(days=8), band=Band.GREEN)
    HealthSnapshotFactory(account=account, day=today - timedelta(days=7), band=Band.RED)
    from ttfv.models import MilestoneProgress

    MilestoneProgress.objects.create(
        account=account,
        milestone=MilestoneFactory(name="Shared a report"),
        achieved_on=today - timedelta(days=6),
        source=MilestoneProgress.Source.AUTO,
    )
    job = ImportJobFactory(created_by=author)
    ImportedAccount.objects.create(job=job, account=account, landed_at=now - timedelta(days=5))
    vote = VoteFactory(idea=IdeaFactory(title="Dark mode"), contact=ContactFactory(account=account))
    type(vote).objects.filter(pk=vote.pk).update(created_at=now - timedelta(days=4))
    SentimentFactory(account=account, value="red", set_at=now - timedelta(days=3))
    override = HealthOverrideFactory(account=account, band=Band.YELLOW, set_by=author)
    type(override).objects.filter(pk=override.pk).update(created_at=now - timedelta(days=2))
    alert = AlertFactory(account=account, title="Acme dropped to red")
    type(alert).objects.filter(pk=alert.pk).update(created_at=now - timedelta(days=1))
    NoteFactory(account=account, author=author, body="Called the champion.")


def test_every_app_contributes_its_entries_newest_first(csm):
    account = AccountFactory()
    _one_of_each(account, csm)

    _account, page = account_timeline_page(user=csm, account_id=account.pk)

    assert [e.kind for e in page.entries] == [
        "note",
        "alert",
        "override",
        "sentiment",
        "idea",
        "import",
        "milestone",
        "band",
    ]
    assert page.entries[0].detail == "Called the champion."
    assert page.entries[-1].title == "Health went from Green to Red"
    assert page.entries[4].title.endswith("voted for “Dark mode”")
    assert page.next_cursor == ""


def test_the_sources_registered_cover_every_kind_the_issue_names():
    assert {s.kind for s in timeline_sources()} >= {
        "note",
        "alert",
        "sentiment",
        "override",
        "band",
        "milestone",
        "idea",
        "import",
        "play",
        "task",
    }


def test_an_alert_sent_to_several_people_shows_once(csm):
    account = AccountFactory()
    AlertFactory(account=account, dedupe_key="band:1", recipient=csm)
    AlertFactory(account=account, dedupe_key="band:1")

    _account, page = account_timeline_page(user=csm, account_id=account.pk, kinds=["alert"])

    assert len(page.entries) == 1


def test_paging_visits_every_entry_once_even_when_they_share_an_instant(csm):
    """Twelve notes and twelve alerts at one same instant, paged five at a time: the
    cursor splits ties by kind, then id, so no entry is skipped or repeated."""
    account = AccountFactory()
    instant = timezone.now() - timedelta(hours=1)
    notes = NoteFactory.create_batch(12, account=account, author=csm)
    Note.objects.filter(pk__in=[n.pk for n in notes]).update(created_at=instant)
    alerts = AlertFactory.create_batch(12, account=account)
    type(alerts[0]).objects.filter(pk__in=[a.pk for a in alerts]).update(created_at=instant)
    NoteFactory(account=account, author=csm)  # the newest, alone

    seen, cursor, pages = [], "", 0
    while True:
        page = account_timeline(account=account, viewer=csm, cursor=cursor, limit=5)
        seen.extend((e.kind, e.id) for e in page.entries)
        pages += 1
        if not page.next_cursor:
            break
        cursor = page.next_cursor

    assert pages == 5
    assert len(seen) == 25 == len(set(seen))
    assert seen[1:13] == [("alert", a.pk) for a in sorted(alerts, key=lambda a: -a.pk)]


def test_filtering_by_kind_keeps_those_kinds_only(csm):
    account = AccountFactory()
    _one_of_each(account, csm)

    _account, page = account_timeline_page(user=csm, account_id=account.pk, kinds=["band", "note"])

    assert [e.kind for e in page.entries] == ["note", "band"]


def test_an_unknown_kind_or_a_broken_cursor_is_an_error_not_an_empty_page(csm):
    from django.core.exceptions import ValidationError

    account = AccountFactory()
    with pytest.raises(ValidationError):
        account_timeline_page(user=csm, account_id=account.pk, kinds=["tweet"])
    with pytest.raises(ValidationError):
        account_timeline_page(user=csm, account_id=account.pk, cursor="not-a-cursor")


def test_a_cursor_survives_its_round_trip():
    cursor = Cursor(at=timezone.now(), kind="note", id=42)
    assert Cursor.decode(cursor.encode()) == cursor


def test_customers_never_read_a_timeline(customer_a, account_a):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        account_timeline_page(user=customer_a, account_id=account_a.pk)


def test_the_page_runs_the_same_queries_for_a_long_history(
    client_for, csm, django_assert_max_num_queries
):
    small, big = AccountFactory(), AccountFactory()
    _one_of_each(small, csm)
    _one_of_each(big, csm)
    NoteFactory.create_batch(60, account=big, author=csm)
    AlertFactory.create_batch(40, account=big)
    client = client_for(csm)
    url = reverse("accounts:timeline", args=[small.pk])

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("accounts:timeline", args=[big.pk]))
    assert response.status_code == 200
    assert "Older entries" in response.content.decode()


def test_the_page_follows_its_older_link_and_filters(client_for, csm):
    account = AccountFactory()
    NoteFactory.create_batch(30, account=account, author=csm)
    AlertFactory(account=account, title="Seats dropped")
    client = client_for(csm)
    url = reverse("accounts:timeline", args=[account.pk])

    first = client.get(url)
    older = client.get(url, {"after": first.context["page"].next_cursor})
    alerts_only = client.get(url, {"kind": "alert"})

    assert len(first.context["page"].entries) == 25
    assert len(older.context["page"].entries) == 6
    assert [e.title for e in alerts_only.context["page"].entries] == ["Seats dropped"]


def test_a_broken_page_link_answers_400_with_the_first_page(client_for, csm):
    account = AccountFactory()
    NoteFactory(account=account, author=csm)

    response = client_for(csm).get(
        reverse("accounts:timeline", args=[account.pk]), {"after": "garbage"}
    )

    assert response.status_code == 400
    assert "This page link is not valid" in response.content.decode()
    assert len(response.context["page"].entries) == 1


def test_the_customer_360_page_has_a_timeline_section_in_its_menu(client_for, csm):
    account = AccountFactory()
    NoteFactory(account=account, author=csm, body="Renewal call booked.")

    html = client_for(csm).get(reverse("accounts:detail", args=[account.pk])).content.decode()

    assert 'href="#timeline"' in html
    assert 'id="timeline"' in html
    assert reverse("accounts:timeline", args=[account.pk]) in html


def test_the_api_pages_by_cursor(client_for, csm):
    account = AccountFactory()
    NoteFactory.create_batch(3, account=account, author=csm)
    AlertFactory(account=account)
    client = client_for(csm)
    url = reverse("api-account-timeline", args=[account.pk])

    first = client.get(url, {"limit": 2}).json()
    second = client.get(first["next"]).json()

    assert [e["kind"] for e in first["results"]] == ["alert", "note"]
    assert len(second["results"]) == 2
    assert second["next"] is None
    assert {e["id"] for e in first["results"]}.isdisjoint({e["id"] for e in second["results"]})


@pytest.mark.parametrize(
    "query", [{"kind": "tweet"}, {"after": "x"}, {"limit": "0"}, {"limit": "abc"}]
)
def test_the_api_answers_bad_input_with_400_and_json(client_for, csm, query):
    account = AccountFactory()

    response = client_for(csm).get(reverse("api-account-timeline", args=[account.pk]), query)

    assert response.status_code == 400
    assert response.json()


def test_the_api_refuses_customers_and_unknown_accounts(client_for, customer_a, account_a, csm):
    assert (
        client_for(customer_a).get(reverse("api-account-timeline", args=[account_a.pk])).status_code
        == 403
    )
    assert client_for(csm).get(reverse("api-account-timeline", args=[999999])).status_code == 404


def test_an_import_records_the_accounts_it_touched_once(csm):
    from ingest.services.pipeline import _record_touched

    account = AccountFactory()
    job = ImportJobFactory()
    _record_touched(job, {account.pk})
    _record_touched(job, {account.pk})  # a retried landing

    assert ImportedAccount.objects.filter(job=job, account=account).count() == 1


def test_other_staff_roles_read_it_too(client_for):
    account = AccountFactory()
    for role in (Role.PM, Role.ADMIN):
        user = UserFactory(role=role)
        assert (
            client_for(user).get(reverse("accounts:timeline", args=[account.pk])).status_code == 200
        )


def test_a_bulk_change_shows_on_the_accounts_timeline(admin_user):
    from accounts import services

    old = UserFactory(role=Role.CSM, first_name="Old", last_name="Owner")
    new = UserFactory(role=Role.CSM, first_name="New", last_name="Owner")
    account = AccountFactory(csm_owner=old, lifecycle_stage="adoption")
    services.accounts_reassign(actor=admin_user, account_ids=[account.pk], csm=new)
    services.accounts_set_stage(actor=admin_user, account_ids=[account.pk], stage="renewal")

    _account, page = account_timeline_page(user=admin_user, account_id=account.pk, kinds=["change"])

    assert [e.title for e in page.entries] == [
        "Stage changed from Adoption to Up for renewal",
        "CSM changed from Old Owner to New Owner",
    ]


def test_another_app_adds_a_source_without_touching_the_core(csm):
    """What an app does for its rows (plays does it for tasks): register a source, and
    the timeline merges it."""
    from core import timeline

    account = AccountFactory()
    NoteFactory(account=account, author=csm)
    later = timezone.now() + timedelta(minutes=1)

    def calls(account, viewer, window):
        return [timeline.TimelineEntry(at=later, kind="call", id=1, title="Call the sponsor")]

    timeline.register_timeline_source(
        timeline.TimelineSource(kind="call", label="Calls", entries=calls)
    )
    try:
        page = account_timeline(account=account, viewer=csm)
    finally:
        timeline._sources.pop("call")

    assert [e.kind for e in page.entries] == ["call", "note"]
