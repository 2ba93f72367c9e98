"""Who may open each idea board URL: every URL x anonymous, customer A, customer B, CSM,
PM and admin. The idea belongs to customer A and is open, so customer B is the
"other customer" of every case."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.roles import Role
from feedback import services
from tests.accounts.factories import UserFactory
from tests.actors import ACTORS_AB

pytestmark = pytest.mark.django_db

LOGIN, OK, REDIRECT, FORBIDDEN, NOT_ALLOWED = "login", 200, 302, 403, 405

# (url name, method, needs the idea) -> expected for each actor in ACTORS_AB order
L, R, F, NA = LOGIN, REDIRECT, FORBIDDEN, NOT_ALLOWED
MATRIX = {
    ("feedback:board", "get", False): [L, OK, OK, OK, OK, OK],
    ("feedback:idea", "get", True): [L, OK, OK, OK, OK, OK],
    ("feedback:idea_new", "get", False): [L, OK, OK, OK, OK, OK],
    ("feedback:idea_new", "post", False): [L, R, R, R, R, R],
    ("feedback:similar", "get", False): [L, OK, OK, OK, OK, OK],
    ("feedback:idea_edit", "get", True): [L, OK, F, F, OK, OK],
    ("feedback:idea_edit", "post", True): [L, R, F, F, R, R],
    ("feedback:vote", "post", True): [L, R, R, F, F, F],
    ("feedback:vote", "get", True): [L, NA, NA, F, F, F],
    ("feedback:follow", "post", True): [L, R, R, R, R, R],
    ("feedback:follow", "get", True): [L, NA, NA, NA, NA, NA],
    ("feedback:comment", "post", True): [L, R, R, R, R, R],
    ("feedback:vote_on_behalf", "get", True): [L, F, F, OK, OK, OK],
    ("feedback:vote_on_behalf", "post", True): [L, F, F, R, R, R],
}  # fmt: skip


def _data(name: str, customer_b) -> dict:
    if name == "feedback:idea_new":
        return {"title": "A brand new idea"}
    if name == "feedback:idea_edit":
        return {"title": "An edited title"}
    if name == "feedback:comment":
        return {"body": "A comment"}
    if name == "feedback:vote_on_behalf":
        return {"account": customer_b.contact.account_id, "contact": customer_b.contact_id}
    return {}


def _cases():
    return [
        pytest.param(name, method, with_idea, actor, expected[i], id=f"{name}-{method}-{actor}")
        for (name, method, with_idea), expected in MATRIX.items()
        for i, actor in enumerate(ACTORS_AB)
    ]


@pytest.mark.parametrize(("name", "method", "with_idea", "actor", "expected"), _cases())
def test_board_url_access(actors, customer_a, customer_b, name, method, with_idea, actor, expected):
    idea = services.idea_create(author=customer_a, title="Customer A's idea")
    url = reverse(name, args=[idea.pk]) if with_idea else reverse(name)
    client = actors[actor]
    send = getattr(client, method)
    response = send(url, _data(name, customer_b)) if method == "post" else send(url)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    else:
        assert response.status_code == expected, response.content[:300]


@pytest.mark.parametrize("name", ["feedback:idea", "feedback:idea_edit", "feedback:vote_on_behalf"])
def test_unknown_idea_is_404(admin_user, client_for, name):
    assert client_for(admin_user).get(reverse(name, args=[999_999])).status_code == 404


def test_a_user_without_a_known_role_sees_no_idea(client_for):
    from tests.feedback.factories import IdeaFactory

    idea = IdeaFactory()
    user = UserFactory(role=Role.CSM)
    user.role = "ghost"
    user.save(update_fields=["role"])
    assert client_for(user).get(reverse("feedback:idea", args=[idea.pk])).status_code == 403


def test_links_are_shown_only_to_who_may_follow_them(client_for, customer_a, customer_b, csm):
    idea = services.idea_create(author=customer_a, title="Customer A's idea")
    url = reverse("feedback:idea", args=[idea.pk])
    edit = reverse("feedback:idea_edit", args=[idea.pk])
    on_behalf = reverse("feedback:vote_on_behalf", args=[idea.pk])
    own = client_for(customer_a).get(url).content.decode()
    other = client_for(customer_b).get(url).content.decode()
    staff = client_for(csm).get(url).content.decode()
    assert edit in own
    assert edit not in other
    assert edit not in staff
    assert on_behalf not in own
    assert on_behalf not in other
    assert on_behalf in staff
