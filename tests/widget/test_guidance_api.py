"""What a widget session reads and writes: its own account's checklist, the changelog
and its unread count, the nudge (once a day, dismissals remembered), ideas through the
board's rules, and interactions landing as usage events of its account."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client

from accounts.models import UsageEvent
from feedback.models import Follow, Idea, Vote
from tests.feedback.factories import IdeaFactory
from tests.roadmap.factories import RoadmapItemFactory
from tests.widget.conftest import API, bearer
from ttfv.selectors.guidance import ENTRY_READ, MILESTONE_CLICKED, NUDGE_SHOWN, WIDGET_OPENED
from widget.models import WidgetSettings

pytestmark = [pytest.mark.django_db, pytest.mark.needs_postgres]


@pytest.fixture
def ana(session_for, acme) -> str:
    return session_for("ana@acme.example", "ACME-1")


@pytest.fixture
def gus(session_for, globex) -> str:
    return session_for("gus@globex.example", "GLOBEX-1")


def get(token: str, path: str):
    return Client().get(API + path, headers=bearer(token))


def post(token: str, path: str, data=None):
    return Client().post(
        API + path, data=data or {}, content_type="application/json", headers=bearer(token)
    )


def test_each_account_sees_only_its_own_checklist_nudge_and_votes(ana, gus, acme, globex):
    a, g = get(ana, "checklist/").json(), get(gus, "checklist/").json()
    assert [s["title"] for s in a["steps"]] == ["Connect data", "Invite team", "Share a report"]
    assert a["progress"] == "1 of 3"
    assert [s["done"] for s in a["steps"]] == [True, False, False]
    assert a["steps"][1]["how_to"] == "How to Invite team"
    assert [s["title"] for s in g["steps"]] == ["Install agent", "First dashboard"]
    assert g["progress"] == "0 of 2"
    # Acme is at risk: its person is nudged to its next step; Globex is on track.
    assert get(ana, "nudge/").json()["nudge"]["milestone"] == acme.steps[1].pk
    assert get(gus, "nudge/").json()["nudge"] is None
    # A milestone of the other account can be neither dismissed nor recorded.
    refused = post(gus, "nudge/dismiss/", {"milestone": acme.steps[1].pk})
    assert refused.status_code == 400
    assert "milestone" in refused.json()
    idea = IdeaFactory(title="Dark mode for reports")
    assert post(ana, f"ideas/{idea.pk}/vote/").json()["voted"] is True
    ideas_g = {i["id"]: i for i in get(gus, "ideas/").json()["ideas"]}
    ideas_a = {i["id"]: i for i in get(ana, "ideas/").json()["ideas"]}
    assert ideas_a[idea.pk]["voted"] is True
    assert ideas_g[idea.pk]["voted"] is False
    assert ideas_g[idea.pk]["votes"] == 1  # the count is public, the voter is not
    assert "Acme" not in str(get(gus, "ideas/").content)


def test_the_checklist_hides_after_first_value_unless_configured(ana, acme):
    acme.onboarding.status = "achieved"
    acme.onboarding.first_value_on = date.today()
    acme.onboarding.save()
    hidden = get(ana, "checklist/").json()
    assert hidden["visible"] is False
    assert hidden["steps"] == []
    assert "checklist" not in get(ana, "config/").json()["tabs"]
    WidgetSettings.objects.update_or_create(
        pk=1, defaults={"hide_checklist_after_first_value": False}
    )
    assert get(ana, "checklist/").json()["visible"] is True


def test_config_gives_look_tabs_words_and_the_unread_count(ana):
    RoadmapItemFactory(column="shipped", shipped_on=date.today())
    config = get(ana, "config/").json()
    assert config["tabs"] == ["checklist", "whats_new", "ideas"]
    assert config["accent_colour"] == "#1d4ed8"
    assert config["unread"] == 1
    assert config["texts"]["checklist"] == "Getting started"
    assert config["events"]["opened"] == WIDGET_OPENED
    spanish = Client().get(API + "config/", headers={**bearer(ana), "Accept-Language": "es"})
    assert spanish.json()["texts"]["checklist"] != "Getting started"


def test_marking_read_clears_the_badge_until_the_next_entry_ships(ana, gus):
    old = RoadmapItemFactory(column="shipped", shipped_on=date.today() - timedelta(days=3))
    RoadmapItemFactory(column="shipped", shipped_on=date.today() - timedelta(days=1))
    RoadmapItemFactory(column="now", is_public=True)  # not shipped: not news
    news = get(ana, "whats-new/").json()
    assert news["unread"] == 2
    assert news["entries"][-1]["url"].endswith(f"/changelog/{old.pk}/")
    assert post(ana, "whats-new/read/").json() == {"unread": 0}
    assert get(ana, "config/").json()["unread"] == 0
    assert get(gus, "config/").json()["unread"] == 2  # each person reads for themself
    RoadmapItemFactory(column="shipped", shipped_on=date.today())
    assert get(ana, "config/").json()["unread"] == 1


def test_the_nudge_shows_once_a_day_and_never_again_once_dismissed(ana, acme, clock):
    first = get(ana, "nudge/").json()["nudge"]
    assert first["text"] == "Your next step: Invite team"
    assert first["url"] == "https://app.vendor.example/1"
    assert get(ana, "nudge/").json()["nudge"] is None  # once a day
    clock.shift(timedelta(days=1))
    # A new session (the first expired): the day is the person's, not the session's.
    assert get(ana, "nudge/").status_code == 401


def test_a_dismissed_nudge_stays_dismissed(session_for, acme, clock):
    token = session_for("ana@acme.example", "ACME-1")
    nudge = get(token, "nudge/").json()["nudge"]
    assert post(token, "nudge/dismiss/", {"milestone": nudge["milestone"]}).status_code == 204
    clock.shift(timedelta(days=1))
    token = session_for("ana@acme.example", "ACME-1")
    assert get(token, "nudge/").json()["nudge"] is None


def test_the_nudge_comes_back_the_next_day_and_speaks_the_readers_language(
    session_for, acme, clock
):
    step = acme.steps[1]
    step.nudge_translations = {"es": "Invita a tu equipo"}
    step.save()
    token = session_for("ana@acme.example", "ACME-1")
    assert get(token, "nudge/").json()["nudge"] is not None
    clock.shift(timedelta(days=1))
    token = session_for("ana@acme.example", "ACME-1")
    spanish = Client().get(API + "nudge/", headers={**bearer(token), "Accept-Language": "es"})
    assert spanish.json()["nudge"]["text"] == "Invita a tu equipo"


def test_events_land_as_usage_of_the_account_once_per_client_id(ana, acme):
    entry = RoadmapItemFactory(column="shipped", shipped_on=date.today())
    events = [
        {"id": "a1b2c3d4-0001", "name": WIDGET_OPENED},
        {"id": "a1b2c3d4-0002", "name": MILESTONE_CLICKED, "milestone": acme.steps[1].pk},
        {"id": "a1b2c3d4-0003", "name": ENTRY_READ, "entry": entry.pk},
    ]
    first = post(ana, "events/", {"events": events})
    assert first.status_code == 202
    assert first.json() == {"inserted": 3, "duplicates": 0}
    again = post(ana, "events/", {"events": events})  # a retry after a lost answer
    assert again.json() == {"inserted": 0, "duplicates": 3}
    rows = UsageEvent.objects.filter(account=acme).order_by("event")
    assert rows.count() == 3
    clicked = rows.get(event=MILESTONE_CLICKED)
    assert clicked.properties == {"milestone": acme.steps[1].pk}
    assert clicked.contact.email == "ana@acme.example"


@pytest.mark.parametrize(
    "event",
    [
        {"id": "a1b2c3d4-0009", "name": "Account Deleted"},
        {"id": "short", "name": WIDGET_OPENED},
        {"id": "a1b2c3d4-0009", "name": NUDGE_SHOWN},
        {"id": "a1b2c3d4-0009", "name": ENTRY_READ, "entry": 999999},
        "not an object",
    ],
)
def test_events_the_widget_does_not_send_are_refused_whole(ana, acme, event):
    response = post(
        ana, "events/", {"events": [{"id": "a1b2c3d4-0010", "name": WIDGET_OPENED}, event]}
    )
    assert response.status_code == 400
    assert "events" in response.json()
    assert not UsageEvent.objects.exists()


def test_ideas_search_vote_follow_and_post_through_the_boards_rules(ana):
    idea = IdeaFactory(title="Export to spreadsheet")
    IdeaFactory(title="Single sign-on")
    found = get(ana, "ideas/?q=spreadsheet").json()["ideas"]
    assert [i["id"] for i in found] == [idea.pk]
    assert post(ana, f"ideas/{idea.pk}/vote/").json()["votes"] == 1
    assert Client().delete(API + f"ideas/{idea.pk}/vote/", headers=bearer(ana)).json()["votes"] == 0
    assert not Vote.objects.filter(idea=idea).exists()
    assert post(ana, f"ideas/{idea.pk}/follow/").json()["following"] is True
    assert Follow.objects.filter(idea=idea, user__email="ana@acme.example").exists()
    similar = get(ana, "ideas/similar/?text=export%20spreadsheet").json()["ideas"]
    assert idea.pk in [i["id"] for i in similar]
    posted = post(
        ana, "ideas/", {"title": "Scheduled exports", "description": "Weekly <script>x()</script>"}
    )
    assert posted.status_code == 201
    created = Idea.objects.get(pk=posted.json()["id"])
    assert "<script>" not in created.description_html
    assert posted.json()["voted"] is True  # asking is the strongest vote
    assert post(ana, "ideas/", {"title": ""}).status_code == 400
    assert post(ana, "ideas/999999/vote/").status_code == 404
