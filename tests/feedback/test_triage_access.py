"""Who may open each triage URL: anonymous, customer A, customer B, csm, pm, admin.

Triage, status changes and merges are the PM's (and admin's); ticket links are for all
of the vendor's staff, since they name accounts, which customers never see of others.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from feedback.models import Idea, IdeaTicket
from feedback.statuses import IdeaStatus
from tests.accounts.factories import TicketFactory
from tests.actors import ACTORS_AB
from tests.feedback.factories import IdeaFactory

PM_ONLY = {"pm", "admin"}
STAFF = {"csm", "pm", "admin"}


@pytest.fixture
def objects(db, customer_a):
    idea = IdeaFactory(author=customer_a)
    other = IdeaFactory(title="Another idea")
    ticket = TicketFactory(account=customer_a.contact.account)
    return {"idea": idea, "other": other, "ticket": ticket}


def _urls(objects) -> dict[str, tuple[str, set[str]]]:
    idea, ticket = objects["idea"], objects["ticket"]
    return {
        "triage": (reverse("feedback:triage"), PM_ONLY),
        "idea_status": (reverse("feedback:idea_status", args=[idea.pk]), PM_ONLY),
        "merge": (reverse("feedback:merge", args=[idea.pk]), PM_ONLY),
        "idea_tickets": (reverse("feedback:idea_tickets", args=[idea.pk]), STAFF),
        "ticket_ideas": (reverse("feedback:ticket_ideas", args=[ticket.pk]), STAFF),
    }


@pytest.mark.parametrize("actor", ACTORS_AB)
@pytest.mark.parametrize("name", ["triage", "idea_status", "merge", "idea_tickets", "ticket_ideas"])
def test_get_matrix(actors, objects, actor, name):
    url, allowed = _urls(objects)[name]
    response = actors[actor].get(url)
    if actor == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    elif actor in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("actor", ACTORS_AB)
def test_status_post_matrix(actors, objects, actor):
    idea = objects["idea"]
    actors[actor].post(
        reverse("feedback:idea_status", args=[idea.pk]), {"status": IdeaStatus.DECLINED}
    )
    idea.refresh_from_db()
    changed = idea.status == IdeaStatus.DECLINED
    assert changed is (actor in PM_ONLY)


@pytest.mark.parametrize("actor", ACTORS_AB)
def test_merge_post_matrix(actors, objects, actor):
    idea, other = objects["idea"], objects["other"]
    actors[actor].post(reverse("feedback:merge", args=[idea.pk]), {"target": other.pk})
    merged = Idea.objects.get(pk=idea.pk).status == IdeaStatus.MERGED
    assert merged is (actor in PM_ONLY)


@pytest.mark.parametrize("actor", ACTORS_AB)
def test_ticket_link_post_matrix(actors, objects, actor):
    idea, ticket = objects["idea"], objects["ticket"]
    actors[actor].post(
        reverse("feedback:idea_tickets", args=[idea.pk]), {"ticket": ticket.pk, "action": "link"}
    )
    actors[actor].post(
        reverse("feedback:ticket_ideas", args=[ticket.pk]),
        {"ideas": [objects["other"].pk], "action": "link"},
    )
    assert IdeaTicket.objects.count() == (2 if actor in STAFF else 0)


def test_customer_sees_no_account_name_anywhere_in_reach(actors, objects):
    """Customer B can reach none of these pages, so Account A's name never shows."""
    name = objects["ticket"].account.name
    for url, _allowed in _urls(objects).values():
        response = actors["customer_b"].get(url)
        assert name.encode() not in response.content
