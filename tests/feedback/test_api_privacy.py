"""Privacy of the board's API: a customer of account B, reading and acting on
everything the API lets them reach, learns nothing that identifies account A or its
people — no account name, revenue, health, contact names, e-mails, usernames, CSM
notes or internal comments. Another customer's authorship is a first name at most.

Every response is serialised to text and searched, so a field added later that leaks
is caught whatever it is called.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from core.roles import Role
from feedback import services
from feedback.models import Idea
from feedback.statuses import IdeaStatus
from healthscores.models import Band
from tests.accounts.factories import AccountFactory, ContactFactory, UserFactory
from tests.healthscores.factories import AccountHealthFactory
from tests.roadmap.factories import RoadmapItemFactory

pytestmark = pytest.mark.django_db

FIRST_NAME = "Ophelia"
#: Strings that identify account A or its people; none may reach customer B.
SECRETS = [
    "Quillfeather",  # account name (also in the CSM's account-list notification)
    "quillfeather",  # domain and e-mail addresses
    "987654",  # ARR
    "42.5",  # health score
    "Marchbanks",  # customer A's last name
    "ophelia_qf",  # customer A's username
    "Barnaby",  # a colleague a CSM voted on behalf of
    "Threlkeld",
    "renewal at risk",  # the CSM's note on that vote
    "Internal only",  # a staff-only comment
]
#: Keys that would carry people, accounts or demand; none may appear in B's responses.
FORBIDDEN_KEYS = {
    "account",
    "accounts",
    "account_name",
    "arr",
    "author",
    "contact",
    "demand",
    "email",
    "effective_band",
    "health",
    "note",
    "username",
    "voters",
}


@pytest.fixture
def account_a_world(csm, pm, django_capture_on_commit_callbacks):
    """Account A with a customer who posted, a colleague a CSM voted for, health, an
    internal comment, and notifications raised by a status change."""
    account = AccountFactory(
        name="Quillfeather Holdings",
        domain="quillfeather.example",
        arr=Decimal("987654.00"),
        csm_owner=csm,
    )
    AccountHealthFactory(account=account, score=42.5, band=Band.RED)
    author = UserFactory(
        role=Role.CUSTOMER,
        username="ophelia_qf",
        first_name=FIRST_NAME,
        last_name="Marchbanks",
        email="ophelia@quillfeather.example",
        contact__account=account,
        contact__name="Ophelia Marchbanks",
        contact__email="ophelia@quillfeather.example",
    )
    colleague = ContactFactory(
        account=account, name="Barnaby Threlkeld", email="barnaby@quillfeather.example"
    )
    with django_capture_on_commit_callbacks(execute=True):
        idea = services.idea_create(author=author, title="Bulk export", description="Please")
        services.vote_on_behalf(idea=idea, contact=colleague, actor=csm, note="renewal at risk")
        services.comment_add(idea=idea, author=author, body="We need this soon")
        services.comment_add(
            idea=idea, author=csm, body="Internal only: big account", internal=True
        )
        services.idea_status_change(
            idea=idea, status=IdeaStatus.PLANNED, actor=pm, message="On the roadmap"
        )
    RoadmapItemFactory(title="Exports").ideas.add(idea)
    return idea


def _walk_keys(value):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from _walk_keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _walk_keys(inner)


def _scrub_author_names(value):
    """Drop the one place a first name may appear: who wrote an idea or comment."""
    if isinstance(value, dict):
        return {
            key: _scrub_author_names(inner)
            for key, inner in value.items()
            if not (key == "author_name" and inner in ("", FIRST_NAME))
        }
    if isinstance(value, list):
        return [_scrub_author_names(inner) for inner in value]
    return value


def _crawl(client: Client, idea: Idea) -> list:
    """Everything customer B can read or do about the idea, and their own inbox."""
    board = reverse("idea-list")
    vote = reverse("idea-vote", kwargs={"pk": idea.pk})
    follow = reverse("idea-follow", kwargs={"pk": idea.pk})
    comments = reverse("idea-comments", kwargs={"pk": idea.pk})
    responses = [
        client.get(board),
        client.get(board, {"search": "export"}),
        client.get(board, {"ordering": "trending"}),
        client.get(board, {"status": "planned"}),
        client.get(reverse("idea-detail", kwargs={"pk": idea.pk})),
        client.post(vote),
        client.post(follow),
        client.get(comments),
        client.post(comments, {"body": "Me too"}),
        client.get(comments),
        client.get(reverse("idea-detail", kwargs={"pk": idea.pk})),
        client.delete(vote),
        client.get(reverse("roadmap-item-list")),
        client.get(reverse("notification-list")),
    ]
    for response in responses:
        assert response.status_code in (200, 201), (response.request, response.content)
    return [response.json() for response in responses]


def _assert_nothing_of_account_a(bodies: list) -> None:
    text = json.dumps(bodies)
    leaked = [secret for secret in SECRETS if secret.lower() in text.lower()]
    assert leaked == []
    assert FIRST_NAME not in json.dumps(_scrub_author_names(bodies))
    assert FORBIDDEN_KEYS.isdisjoint(set(_walk_keys(bodies)))


def test_customer_b_learns_nothing_of_account_a(client_for, customer_b, account_a_world):
    bodies = _crawl(client_for(customer_b), account_a_world)
    _assert_nothing_of_account_a(bodies)
    # The crawl did see the idea, its public comment and the roadmap item: the test
    # looked where the secrets would be.
    text = json.dumps(bodies)
    assert "Bulk export" in text
    assert "We need this soon" in text
    assert "Exports" in text


def test_customer_b_sees_other_voters_only_as_a_count(client_for, customer_b, account_a_world):
    row = client_for(customer_b).get(reverse("idea-list")).json()["results"][0]
    assert row["vote_count"] == 2
    assert row["voted"] is False
    assert row["author_name"] == FIRST_NAME


def test_anonymous_roadmap_readers_learn_nothing_either(client, account_a_world):
    bodies = [
        client.get(reverse("roadmap-item-list")).json(),
        client.get(reverse("roadmap-item-list"), {"column": "planned"}).json(),
    ]
    _assert_nothing_of_account_a(bodies)
    assert FIRST_NAME not in json.dumps(bodies)


def test_the_same_crawl_as_staff_does_show_account_a(client_for, csm, account_a_world):
    """The check is not vacuous: staff do see the demand and the internal comment."""
    client = client_for(csm)
    row = client.get(reverse("idea-list")).json()["results"][0]
    assert row["demand"] == {"customer_votes": 1, "csm_votes": 1, "accounts": 1}
    comments = client.get(reverse("idea-comments", kwargs={"pk": account_a_world.pk})).json()
    assert "Internal only" in json.dumps(comments)
    notifications = json.dumps(client.get(reverse("notification-list")).json())
    assert "Quillfeather" in notifications
