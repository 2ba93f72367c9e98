"""What a customer can never read on the board pages: another account's name, revenue,
health, contacts or e-mail addresses, other voters beyond a count, internal comments;
and what user-written text can never do: run script in someone else's browser."""

from __future__ import annotations

from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from feedback import services
from feedback.policies import display_name as public_name
from feedback.statuses import IdeaStatus
from healthscores.models import AccountHealth
from tests.accounts.factories import AccountFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_idea(customer_a, csm):
    """Customer A's idea with A's comment, a CSM's on-behalf vote for Globex (with a
    private note), an internal comment and a red health band on Globex."""
    customer_a.first_name, customer_a.last_name = "Alice", "Zyxwvut"
    customer_a.save()
    account_a = customer_a.contact.account
    account_a.arr = Decimal("987654")
    account_a.save()
    globex = AccountFactory(name="Globex Secretcorp", arr=Decimal("1234567"))
    AccountHealth.objects.create(
        account=globex,
        day=timezone.localdate(),
        band="red",
        effective_band="red",
        computed_at=timezone.now(),
    )
    hank = ContactFactory(account=globex, name="Hank Scorpio", email="hank@globex.example")
    idea = services.idea_create(
        author=customer_a, title="Audit log export", description="For our auditors."
    )
    services.vote_on_behalf(idea=idea, contact=hank, actor=csm, note="Renewal hinges on this")
    services.comment_add(idea=idea, author=customer_a, body="Our auditors ask every quarter.")
    services.comment_add(idea=idea, author=csm, body="Globex threatens churn", internal=True)
    return idea


SECRETS = [
    "Account A",  # customer A's account name
    "Globex Secretcorp",
    "Hank Scorpio",
    "hank@globex.example",
    "customer_a@example.com",
    "customer_a",  # A's username
    "Zyxwvut",  # A's last name
    "987,654",
    "987654",
    "1,234,567",
    "1234567",
    "Renewal hinges on this",
    "Globex threatens churn",
    "band-red",
    "added by CSMs",
]


def _pages_for(client, idea) -> dict[str, str]:
    return {
        "board": client.get(reverse("feedback:board")).content.decode(),
        "search": client.get(reverse("feedback:board"), {"q": "audit"}).content.decode(),
        "idea": client.get(reverse("feedback:idea", args=[idea.pk])).content.decode(),
        "similar": client.get(reverse("feedback:similar"), {"title": "audit"}).content.decode(),
    }


def test_another_customer_sees_no_account_contact_revenue_or_health(
    busy_idea, customer_b, client_for
):
    for page, body in _pages_for(client_for(customer_b), busy_idea).items():
        leaked = [secret for secret in SECRETS if secret in body]
        assert leaked == [], f"{page} leaks {leaked}"


def test_a_customer_signed_in_by_an_sso_token_sees_nothing_of_another_account(
    busy_idea, admin_user
):
    """The same walls stand whatever the way in: here a token from the vendor's product
    for a person the site has never seen, whose contact and user it creates."""
    import time
    import uuid

    import jwt
    from django.test import Client

    from accounts.services import sso_secret_rotate

    secret = sso_secret_rotate(actor=admin_user).secret
    initech = AccountFactory(name="Initech")
    now = int(time.time())
    token = jwt.encode(
        {
            "email": "peter@initech.example",
            "name": "Peter Gibbons",
            "account": initech.external_id,
            "exp": now + 120,
            "jti": str(uuid.uuid4()),
        },
        secret,
        algorithm="HS256",
    )
    client = Client(REMOTE_ADDR="203.0.113.50")
    assert client.get(reverse("sso"), {"token": token}).status_code == 302

    for page, body in _pages_for(client, busy_idea).items():
        leaked = [secret for secret in SECRETS if secret in body]
        assert leaked == [], f"{page} leaks {leaked}"
    account_a = busy_idea.author.contact.account
    for url in (
        reverse("accounts:portfolio"),
        reverse("accounts:detail", args=[account_a.pk]),
        reverse("account-list"),
        reverse("contact-list"),
    ):
        assert client.get(url).status_code == 403, url
    me = client.get(reverse("api-me")).json()
    assert me["role"] == "customer"
    assert "Account A" not in str(me)
    assert "Globex" not in str(me)


def test_another_customer_sees_voters_only_as_a_count_and_the_author_by_first_name(
    busy_idea, customer_b, client_for
):
    body = client_for(customer_b).get(reverse("feedback:idea", args=[busy_idea.pk])).content
    body = body.decode()
    assert "2 votes" in body
    assert "Posted by Alice" in body
    assert "Our auditors ask every quarter." in body


def test_the_voting_customer_sees_no_other_account_either(busy_idea, customer_a, client_for):
    for page, body in _pages_for(client_for(customer_a), busy_idea).items():
        leaked = [s for s in SECRETS if s in body and s not in {"Zyxwvut"}]
        # A's own account name or e-mail never appears in the pages either.
        assert leaked == [], f"{page} leaks {leaked}"


def test_internal_comments_and_their_form_are_staff_only(busy_idea, customer_b, csm, client_for):
    url = reverse("feedback:idea", args=[busy_idea.pk])
    customer_page = client_for(customer_b).get(url).content.decode()
    assert "Internal comments" not in customer_page
    assert 'name="form" value="internal"' not in customer_page
    staff_page = client_for(csm).get(url).content.decode()
    assert "Globex threatens churn" in staff_page
    assert 'name="form" value="internal"' in staff_page


@pytest.mark.parametrize("role", [Role.CSM, Role.PM, Role.ADMIN])
def test_staff_see_who_is_behind_the_votes(busy_idea, client_for, role):
    body = (
        client_for(UserFactory(role=role))
        .get(reverse("feedback:idea", args=[busy_idea.pk]))
        .content.decode()
    )
    assert "1 vote from customers, 1 added by CSMs" in body
    assert "Globex Secretcorp" in body
    assert "Account A" in body
    assert "1,234,567" in body


def test_customers_never_get_the_username_even_without_a_first_name(customer_a, customer_b):
    customer_a.first_name = ""
    assert public_name(customer_a, viewer=customer_b) == "A customer"
    assert public_name(customer_a, viewer=customer_a) == "You"
    staff = UserFactory(role=Role.PM, first_name="Pat", last_name="Product")
    assert public_name(staff, viewer=customer_b) == "Pat"
    assert public_name(staff, viewer=UserFactory(role=Role.CSM)) == "Pat Product"
    assert public_name(None, viewer=customer_b) == "Former user"


# --- XSS --------------------------------------------------------------------------------

PAYLOADS = [
    "<script>alert('xss')</script>",
    '<img src=x onerror="alert(1)">',
    "[click me](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<style>body{display:none}</style>",
    '<svg onload="alert(1)"></svg>',
    '"><script>alert(2)</script>',
]


class _Elements(HTMLParser):
    """Every element a browser would build from the page, with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, {name: value or "" for name, value in attrs}))


def _assert_harmless(body: str) -> None:
    """No inline script, style, image or SVG, no event handler, no javascript: URL.

    Parsed, not grepped: an escaped payload shown as text (``&lt;img onerror=…&gt;``)
    is harmless, and only real elements and attributes can run anything.
    """
    parser = _Elements()
    parser.feed(body)
    bad = []
    for tag, attrs in parser.found:
        if tag in {"style", "img", "svg", "iframe", "object"}:
            bad.append(tag)
        if tag == "script" and "src" not in attrs:
            bad.append("inline script")
        bad += [f"{tag}[{name}]" for name in attrs if name.startswith("on")]
        bad += [
            f"{tag}[{name}={value}]"
            for name, value in attrs.items()
            if name in {"href", "src", "action"} and value.strip().lower().startswith("javascript:")
        ]
    assert bad == [], bad
    assert "<script>alert" not in body


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_in_titles_descriptions_comments_and_messages_render_harmless(
    payload, customer_a, customer_b, pm, client_for
):
    idea = services.idea_create(
        author=customer_a, title=f"Title {payload}", description=f"Description {payload}"
    )
    services.comment_add(idea=idea, author=customer_a, body=f"Comment {payload}")
    services.comment_add(idea=idea, author=pm, body=f"Internal {payload}", internal=True)
    services.idea_status_change(
        idea=idea, status=IdeaStatus.PLANNED, actor=pm, message=f"Message {payload}"
    )
    for viewer in (customer_b, pm):
        client = client_for(viewer)
        _assert_harmless(client.get(reverse("feedback:idea", args=[idea.pk])).content.decode())
        _assert_harmless(client.get(reverse("feedback:board")).content.decode())
        _assert_harmless(
            client.get(reverse("feedback:similar"), {"title": "Title"}).content.decode()
        )
        _assert_harmless(
            client.get(reverse("feedback:idea_edit", args=[idea.pk])).content.decode()
            if viewer == pm
            else ""
        )


def test_search_text_is_echoed_escaped(customer_b, client_for):
    body = (
        client_for(customer_b)
        .get(reverse("feedback:board"), {"q": "<script>alert(1)</script>"})
        .content.decode()
    )
    _assert_harmless(body)
    assert "&lt;script&gt;" in body
