"""Who may open the product-risk pages and act on a flag: every URL against anonymous,
a customer of account A, a customer of account B, a CSM, a PM and an admin.

Staff read every page (a CSM needs to see which gaps block renewals); PMs and admins
act on flags; only admins change the rule. Customers never reach any of it: the pages
name accounts, their ARR and health.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from productrisk.models import ProductRisk
from tests.actors import ACTORS_AB
from tests.productrisk.factories import flag_with_accounts

pytestmark = pytest.mark.django_db

LOGIN, OK, FORBIDDEN, REDIRECT = "login", 200, 403, 302

# url name -> (method, expected per actor in ACTORS_AB order)
MATRIX = {
    "productrisk:risks": ("get", [LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK]),
    "productrisk:risk": ("get", [LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK]),
    "productrisk:my_risks": ("get", [LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK]),
    "productrisk:impact": ("get", [LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK]),
    "productrisk:rule": ("get", [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK]),
    "productrisk:rule_post": ("post", [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, 400]),
    "productrisk:acknowledge": (
        "post",
        [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT, REDIRECT],
    ),
    "productrisk:dismiss": ("post", [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT, REDIRECT]),
    "productrisk:reopen": ("post", [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT, REDIRECT]),
}
NEEDS_FLAG = {
    "productrisk:risk",
    "productrisk:acknowledge",
    "productrisk:dismiss",
    "productrisk:reopen",
}


@pytest.fixture
def flag(account_a, account_b):
    """A flag both customers' accounts are behind."""
    return flag_with_accounts([account_a, account_b], idea__title="Audit log export")


def _cases():
    return [
        pytest.param(name, actor, method, expected[index], id=f"{name}-{actor}")
        for name, (method, expected) in MATRIX.items()
        for index, actor in enumerate(ACTORS_AB)
    ]


@pytest.mark.parametrize(("name", "actor", "method", "expected"), _cases())
def test_risk_page_access(actors, flag, name, actor, method, expected):
    url_name = name.removesuffix("_post")
    url = reverse(url_name, args=[flag.pk] if url_name in NEEDS_FLAG else [])
    client = actors[actor]
    data = {"reason": "Covered by the audit API."} if url_name == "productrisk:dismiss" else {}
    response = client.post(url, data) if method == "post" else client.get(url)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    else:
        assert response.status_code == expected
    if actor.startswith("customer") or actor == "anonymous":
        assert b"Audit log export" not in response.content
        assert ProductRisk.objects.get(pk=flag.pk).status == ProductRisk.Status.OPEN


@pytest.mark.parametrize("actor", ["customer_a", "customer_b"])
def test_customer_360_section_never_reaches_customers(actors, flag, account_a, actor):
    response = actors[actor].get(reverse("accounts:detail", args=[account_a.pk]))
    assert response.status_code == 403
    assert b"Product gaps blocking" not in response.content


def test_every_risk_route_declares_a_policy():
    from django.urls import resolve

    from core.access import policy_of

    for name in MATRIX:
        url_name = name.removesuffix("_post")
        url = reverse(url_name, args=[1] if url_name in NEEDS_FLAG else [])
        assert policy_of(resolve(url).func) is not None, name
