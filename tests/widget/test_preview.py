"""The settings page's live preview: an admin sees the widget as a chosen contact, from
our own origin, and nothing of it is saved: no jti, no contact or portal user, no
vote, follow, idea, dismissal, read, event, nor the person's nudge of the day."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from accounts.models import Contact, SsoTokenUse, UsageEvent, User
from feedback.models import Follow, Idea, Vote
from tests.accounts.factories import ContactFactory
from tests.actors import ACTORS
from tests.feedback.factories import IdeaFactory
from tests.roadmap.factories import RoadmapItemFactory
from tests.widget.conftest import API, ORIGIN, bearer
from ttfv.services import today_utc
from widget.models import NudgeDismissal, WidgetPerson

pytestmark = [pytest.mark.django_db, pytest.mark.needs_postgres]

PREVIEW = "/widget/settings/preview/"
#: The test client's own origin (``http://testserver``): the preview runs there.
OWN = "http://testserver"
NOTHING_SAVED = "This is a preview: nothing is saved."


@pytest.fixture
def ana(acme) -> Contact:
    return ContactFactory(account=acme, email="ana@acme.example", name="Ana")


@pytest.fixture
def preview(actors, ana) -> str:
    """A preview token, as the settings page hands it to widget.js."""
    response = actors["admin"].post(PREVIEW, {"email": "Ana@Acme.example"})
    assert response.status_code == 200, response.content
    page = response.content.decode()
    match = re.search(r'data-session="([^"]+)"', page)
    assert match is not None
    return match.group(1)


def own(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Origin": OWN}


def counts() -> dict[str, int]:
    return {
        "sso": SsoTokenUse.objects.count(),
        "contacts": Contact.objects.count(),
        "users": User.objects.count(),
        "votes": Vote.objects.count(),
        "follows": Follow.objects.count(),
        "ideas": Idea.objects.count(),
        "dismissals": NudgeDismissal.objects.count(),
        "people": WidgetPerson.objects.count(),
        "events": UsageEvent.objects.count(),
    }


@pytest.mark.parametrize("actor", ACTORS)
def test_only_admins_preview(actors, actor, ana):
    response = actors[actor].post(PREVIEW, {"email": "ana@acme.example"})
    expected = {"anonymous": 302, "customer": 403, "csm": 403, "pm": 403, "admin": 200}
    assert response.status_code == expected[actor]
    if actor == "anonymous":
        assert "/login/" in response["Location"]


def test_the_settings_page_has_a_labelled_preview_form(actors):
    page = actors["admin"].get("/widget/settings/").content.decode()
    assert 'action="/widget/settings/preview/"' in page
    assert '<label for="id_email">Contact e-mail</label>' in page
    assert "Show preview" in page
    assert "data-session" not in page


def test_an_unknown_email_is_a_clear_error(actors, ana):
    response = actors["admin"].post(PREVIEW, {"email": "nobody@acme.example"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "No contact has this e-mail address." in page
    assert 'aria-invalid="true"' in page
    assert "data-session" not in page
    bad = actors["admin"].post(PREVIEW, {"email": "not an address"})
    assert bad.status_code == 400
    assert "data-session" not in bad.content.decode()


def test_an_address_of_several_accounts_asks_for_the_account(actors, ana, globex):
    ContactFactory(account=globex, email="ana@acme.example")
    response = actors["admin"].post(PREVIEW, {"email": "ana@acme.example"})
    assert response.status_code == 400
    assert "give the account&#x27;s ID" in response.content.decode()
    chosen = actors["admin"].post(PREVIEW, {"email": "ana@acme.example", "account": "GLOBEX-1"})
    assert chosen.status_code == 200
    assert "data-session=" in chosen.content.decode()


def test_the_page_embeds_the_widget_with_the_preview_token_and_no_inline_script(actors, ana):
    response = actors["admin"].post(PREVIEW, {"email": "ana@acme.example"})
    page = response.content.decode()
    assert '<script src="/widget.js" data-session="' in page
    assert "ana@acme.example" in page
    assert all(" src=" in tag for tag in re.findall(r"<script\b[^>]*>", page))  # none inline
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "connect-src 'self'" in response["Content-Security-Policy"]


def test_a_preview_reads_as_the_contact(preview, acme, ana):
    idea = IdeaFactory(title="Dark mode for reports")
    Vote.objects.create(idea=idea, contact=ana, account=acme)
    RoadmapItemFactory(title="Exports", column="shipped", shipped_on=today_utc())
    before = counts()
    client = Client()
    config = client.get(API + "config/", headers=own(preview))
    assert config.status_code == 200
    assert "checklist" in config.json()["tabs"]
    checklist = client.get(API + "checklist/", headers=own(preview)).json()
    assert checklist["progress"] == "1 of 3"
    assert [s["title"] for s in checklist["steps"]] == [
        "Connect data",
        "Invite team",
        "Share a report",
    ]
    ideas = client.get(API + "ideas/", headers=own(preview)).json()["ideas"]
    assert [(i["title"], i["voted"]) for i in ideas] == [("Dark mode for reports", True)]
    assert client.get(API + "whats-new/", headers=own(preview)).json()["unread"] == 1
    # Without Origin (a same-origin GET) it answers too.
    same_origin_get = client.get(API + "checklist/", headers={"Authorization": f"Bearer {preview}"})
    assert same_origin_get.status_code == 200
    assert counts() == before


def test_the_preview_shows_the_nudge_without_claiming_the_persons_day(preview, acme, ana):
    nudge = Client().get(API + "nudge/", headers=own(preview)).json()["nudge"]
    assert nudge["milestone"] == acme.steps[1].pk
    # Shown again: the day was not spent, and no row of the person was made.
    assert Client().get(API + "nudge/", headers=own(preview)).json()["nudge"] is not None
    assert not WidgetPerson.objects.exists()


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "ideas/{idea}/vote/", None),
        ("delete", "ideas/{idea}/vote/", None),
        ("post", "ideas/{idea}/follow/", None),
        ("delete", "ideas/{idea}/follow/", None),
        ("post", "ideas/", {"title": "A new idea"}),
        ("post", "nudge/dismiss/", {"milestone": "step"}),
        ("post", "whats-new/read/", None),
        ("post", "events/", {"events": [{"id": "abcdefgh-1", "name": "widget.opened"}]}),
    ],
)
def test_every_write_refuses_a_preview_and_changes_nothing(preview, acme, ana, method, path, body):
    idea = IdeaFactory(title="Dark mode for reports")
    RoadmapItemFactory(title="Exports", column="shipped", shipped_on=today_utc())
    if body and body.get("milestone") == "step":
        body = {"milestone": acme.steps[1].pk}
    before = counts()
    response = getattr(Client(), method)(
        API + path.format(idea=idea.pk),
        data=body or {},
        content_type="application/json",
        headers=own(preview),
    )
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": NOTHING_SAVED}
    assert counts() == before


def test_a_preview_makes_no_sso_use_contact_or_user(actors, ana):
    before = counts()
    actors["admin"].post(PREVIEW, {"email": "ana@acme.example"})
    assert counts() == before


def test_our_own_origin_is_only_for_previews(actors, preview, session_for, acme):
    token = session_for("bob@acme.example", "ACME-1")  # a real session (ORIGIN allowed)
    refused = Client().get(API + "checklist/", headers=own(token))
    assert refused.status_code == 403
    assert "may not show" in refused.json()["detail"]
    # The session door refuses our origin too: the vendor's token path is not opened.
    door = Client().post(API + "session/", headers={"Origin": OWN, "X-Widget-Token": "x"})
    assert door.status_code == 403
    # Another origin, even an allowed one, does not get a preview.
    vendor = Client().get(API + "checklist/", headers=bearer(preview))
    assert vendor.status_code == 403
    other = Client().get(
        API + "checklist/",
        headers={"Authorization": f"Bearer {preview}", "Origin": "https://evil.example"},
    )
    assert other.status_code == 403
    assert "Access-Control-Allow-Origin" not in other
    assert ORIGIN != OWN


def test_a_preview_ends_with_its_admin(preview, admin_user):
    admin_user.role = "csm"
    admin_user.save(update_fields=["role"])
    assert Client().get(API + "checklist/", headers=own(preview)).status_code == 401
