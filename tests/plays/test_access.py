"""Who may open each plays page and act on a task: every URL against anonymous, a
customer of account A, a customer of account B, a CSM, a PM and an admin. Customers
never see a task: not on a page, not through the API."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from plays.models import Task
from tests.actors import ACTORS_AB
from tests.plays.factories import PlaybookFactory, RuleFactory, TaskFactory

pytestmark = pytest.mark.django_db

LOGIN, OK, FORBIDDEN, REDIRECT, UNAUTHORIZED, CREATED = "login", 200, 403, 302, 401, 201

# url name -> (method, args kind, expected per actor in ACTORS_AB order)
MATRIX = {
    "plays:today": ("get", None, [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, OK]),
    "plays:manager": ("get", None, [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK]),
    "plays:task": ("get", "task", [LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK]),
    "plays:task_create": (
        "post",
        "account",
        [LOGIN, FORBIDDEN, FORBIDDEN, REDIRECT, FORBIDDEN, REDIRECT],
    ),
    "plays:task_complete": (
        "post",
        "task",
        [LOGIN, FORBIDDEN, FORBIDDEN, REDIRECT, FORBIDDEN, REDIRECT],
    ),
    "plays:task_skip": (
        "post",
        "task",
        [LOGIN, FORBIDDEN, FORBIDDEN, REDIRECT, FORBIDDEN, REDIRECT],
    ),
    "plays:task_reschedule": (
        "post",
        "task",
        [LOGIN, FORBIDDEN, FORBIDDEN, REDIRECT, FORBIDDEN, REDIRECT],
    ),
    "plays:task_assign": (
        "post",
        "task",
        [LOGIN, FORBIDDEN, FORBIDDEN, REDIRECT, FORBIDDEN, REDIRECT],
    ),
    "plays:task_keep": (
        "post",
        "task",
        [LOGIN, FORBIDDEN, FORBIDDEN, REDIRECT, FORBIDDEN, REDIRECT],
    ),
    "plays:task_comment": (
        "post",
        "task",
        [LOGIN, FORBIDDEN, FORBIDDEN, REDIRECT, FORBIDDEN, REDIRECT],
    ),
    "plays:play_start": (
        "post",
        "account",
        [LOGIN, FORBIDDEN, FORBIDDEN, REDIRECT, FORBIDDEN, REDIRECT],
    ),
    "plays:playbooks": ("get", None, [LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK]),
    "plays:playbook_new": ("get", None, [LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK]),
    "plays:playbook_edit": ("get", "playbook", [LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK]),
    "plays:playbook_edit_post": (
        "post",
        "playbook",
        [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, 400],
    ),
    "plays:report": ("get", "playbook", [LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK]),
    "plays:rules": ("get", None, [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK]),
    "plays:rule_new": ("get", None, [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK]),
    "plays:rule_edit": ("get", "rule", [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK]),
    "plays:rule_edit_post": (
        "post",
        "rule",
        [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, 400],
    ),
}


@pytest.fixture
def world(account_a, csm):
    account_a.csm_owner = csm
    account_a.save()
    playbook = PlaybookFactory()
    return {
        "account": account_a.pk,
        "task": TaskFactory(account=account_a, owner=csm, title="Secret follow-up").pk,
        "playbook": playbook.pk,
        "rule": RuleFactory(playbook=playbook).pk,
    }


def _cases():
    return [
        pytest.param(name, actor, method, kind, expected[index], id=f"{name}-{actor}")
        for name, (method, kind, expected) in MATRIX.items()
        for index, actor in enumerate(ACTORS_AB)
    ]


@pytest.mark.parametrize(("name", "actor", "method", "kind", "expected"), _cases())
def test_page_access(actors, world, name, actor, method, kind, expected):
    url = reverse(name.removesuffix("_post"), args=[world[kind]] if kind else [])
    client = actors[actor]
    data = {
        "title": "Call",
        "due_on": timezone.localdate().isoformat(),
        "priority": "normal",
        "reason": "Not needed",
        "body": "A comment",
        "keep": "1",
        "playbook": world["playbook"],
        "owner": "",
    }
    response = client.post(url, data) if method == "post" else client.get(url)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    else:
        assert response.status_code == expected
    if actor.startswith("customer") or actor == "anonymous":
        assert b"Secret follow-up" not in response.content
        assert Task.objects.get(pk=world["task"]).status == Task.Status.OPEN


API_MATRIX = {
    "list": ("get", [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, OK, OK, OK]),
    "create": ("post", [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, CREATED, FORBIDDEN, CREATED]),
    "update": ("patch", [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, OK]),
}


@pytest.mark.parametrize(
    ("action", "actor", "method", "expected"),
    [
        pytest.param(action, actor, method, expected[index], id=f"{action}-{actor}")
        for action, (method, expected) in API_MATRIX.items()
        for index, actor in enumerate(ACTORS_AB)
    ],
)
def test_api_access(actors, world, action, actor, method, expected):
    client = actors[actor]
    if action == "list":
        response = client.get("/api/tasks/")
    elif action == "create":
        response = client.post(
            "/api/tasks/",
            {
                "account": world["account"],
                "title": "Call",
                "due_on": timezone.localdate().isoformat(),
            },
            content_type="application/json",
        )
    else:
        response = client.patch(
            f"/api/tasks/{world['task']}/", {"status": "done"}, content_type="application/json"
        )
    assert response.status_code == expected
    if actor.startswith("customer") or actor == "anonymous":
        assert b"Secret follow-up" not in response.content
        assert Task.objects.count() == 1


@pytest.mark.parametrize("actor", ["customer_a", "customer_b"])
def test_the_account_page_never_shows_tasks_to_customers(actors, world, actor):
    response = actors[actor].get(reverse("accounts:detail", args=[world["account"]]))
    assert response.status_code == 403
    assert b"Secret follow-up" not in response.content
