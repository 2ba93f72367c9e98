"""Getting in: invitations, sign-in codes, password reset, domain sign-up, erasure, lockout."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import AccountDomain, Invitation, User
from core.roles import Role
from tests.accounts.factories import AccountFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.django_db


def _path(message) -> str:
    url = re.search(r"https?://\S+/invite/\S+/", message.body).group(0)
    return "/invite/" + url.split("/invite/")[1]


@pytest.fixture
def own_account(csm):
    return AccountFactory(name="Own", csm_owner=csm)


def test_csm_invites_a_contact_who_signs_in_once_through_the_link(
    csm, own_account, client, django_capture_on_commit_callbacks
):
    contact = ContactFactory(account=own_account, email="ana@own.example")
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_send(actor=csm, contacts=[contact])
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ana@own.example"]
    path = _path(mail.outbox[0])

    assert client.get(path).status_code == 200  # a scanner's GET spends nothing
    response = client.post(path)
    assert response.status_code == 302
    user = User.objects.get(contact=contact)
    assert user.role == Role.CUSTOMER
    assert not user.has_usable_password()
    assert client.session[SESSION_KEY] == str(user.pk)

    again = client.post(path)
    assert again.status_code == 400
    assert "already used" in again.content.decode()
    assert Invitation.objects.get(contact=contact).status == Invitation.Status.ACCEPTED


def test_a_csm_cannot_invite_for_another_csms_account(csm):
    contact = ContactFactory(account=AccountFactory(csm_owner=UserFactory(role=Role.CSM)))
    with pytest.raises(PermissionDenied):
        services.invitations_send(actor=csm, contacts=[contact])
    assert not Invitation.objects.exists()


def test_expired_revoked_and_resent_links_stop_working(
    admin_user, own_account, client, clock, django_capture_on_commit_callbacks
):
    contact = ContactFactory(account=own_account)
    with django_capture_on_commit_callbacks(execute=True):
        (invitation,) = services.invitations_send(actor=admin_user, contacts=[contact])
    first = _path(mail.outbox[-1])
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(actor=admin_user, invitation=invitation)
    second = _path(mail.outbox[-1])
    assert client.post(first).status_code == 400  # the resend replaced the token
    invitation.refresh_from_db()
    assert invitation.send_count == 2

    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(1))
    assert "expired" in client.post(second).content.decode()

    services.invitation_revoke(actor=admin_user, invitation=invitation)
    assert client.post(second).status_code == 400
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.REVOKED


def test_many_contacts_are_invited_after_a_confirmation(
    client_for, csm, own_account, django_capture_on_commit_callbacks
):
    contacts = ContactFactory.create_batch(3, account=own_account)
    url = reverse("accounts:contacts_invite", args=[own_account.pk])
    ids = [c.pk for c in contacts]
    page = client_for(csm).post(url, {"contact": ids})
    assert page.status_code == 200
    assert "3 people" in page.content.decode()
    assert not Invitation.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = client_for(csm).post(url, {"contact": ids, "confirm": "yes"})
    assert done.status_code == 302
    assert len(mail.outbox) == 3
    detail = client_for(csm).get(reverse("accounts:detail", args=[own_account.pk]))
    assert detail.content.decode().count("Invited") >= 3


def test_contact_list_runs_a_constant_number_of_queries(
    client_for, csm, own_account, django_assert_max_num_queries
):
    for contact in ContactFactory.create_batch(6, account=own_account):
        services.invitations_send(actor=csm, contacts=[contact])
    client = client_for(csm)
    url = reverse("accounts:detail", args=[own_account.pk])
    client.get(url)
    with django_assert_max_num_queries(40):
        assert client.get(url).status_code == 200


def test_api_invites_resends_revokes_and_translates_errors(
    client_for, csm, own_account, django_capture_on_commit_callbacks
):
    client = client_for(csm)
    contact = ContactFactory(account=own_account)
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            reverse("api-invitations"), {"contacts": [contact.pk]}, content_type="application/json"
        )
    assert created.status_code == 201, created.content
    invitation_id = created.json()[0]["id"]
    assert created.json()[0]["status"] == "pending"
    resent = client.post(reverse("api-invitation-resend", args=[invitation_id]))
    assert resent.status_code == 200
    assert resent.json()["send_count"] == 2
    revoked = client.post(reverse("api-invitation-revoke", args=[invitation_id]))
    assert revoked.json()["status"] == "revoked"

    other = ContactFactory(account=AccountFactory(csm_owner=UserFactory(role=Role.CSM)))
    refused = client.post(
        reverse("api-invitations"), {"contacts": [other.pk]}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert "detail" in refused.json()
    empty = client.post(
        reverse("api-invitations"), {"contacts": []}, content_type="application/json"
    )
    assert empty.status_code == 400
    assert "contacts" in empty.json()


def test_a_sign_in_code_never_reveals_whether_the_address_exists(client):
    known = UserFactory(role=Role.CUSTOMER, email="known@acme.example")
    pages = []
    for email in [known.email, "nobody@acme.example"]:
        response = client.post(reverse("account_request_login_code"), {"email": email}, follow=True)
        pages.append(response.content.decode())
        client.cookies.clear()
    assert all("If this address belongs to an account" in page for page in pages)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [known.email]
    assert re.search(r"Code: (\S+)", mail.outbox[0].body)


def test_sign_in_code_signs_the_customer_in(client):
    user = UserFactory(role=Role.CUSTOMER, email="code@acme.example")
    client.post(reverse("account_request_login_code"), {"email": user.email})
    code = re.search(r"Code: (\S+)", mail.outbox[0].body).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


def test_password_reset_is_linked_from_sign_in_and_sends_a_link(client):
    page = client.get(reverse("login")).content.decode()
    assert "Forgot password?" in page
    assert reverse("account_reset_password") in page
    user = UserFactory(role=Role.CSM, email="reset@vendor.example")
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/auth/password/reset/key/" in mail.outbox[0].body


def test_sign_in_rotates_the_session_and_sign_out_ends_it(client):
    user = UserFactory(role=Role.CSM, username="rotating")
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    client.post(reverse("login"), {"login": "rotating", "password": "correct-horse-battery"})
    after = client.session.session_key
    assert after != before
    assert client.session[SESSION_KEY] == str(user.pk)
    client.post(reverse("logout"))
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=after).exists()


def test_fifty_wrong_passwords_lock_the_address_and_say_how_to_get_in(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "1000/m/ip",
                                    "login_failed": "1000/m/ip,50/30m/key"}  # fmt: skip
    UserFactory(role=Role.CSM, username="locked", email="locked@vendor.example")
    for _ in range(50):
        client.post(reverse("login"), {"login": "locked@vendor.example", "password": "wrong"})
    response = client.post(
        reverse("login"), {"login": "locked@vendor.example", "password": "correct-horse-battery"}
    )
    assert SESSION_KEY not in client.session
    assert "sign in with a code sent by e-mail" in response.content.decode().lower()


def test_session_cookie_settings(settings):
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"


def test_erasing_a_contact_ends_its_way_in(
    admin_user, client_for, django_capture_on_commit_callbacks
):
    customer = UserFactory(role=Role.CUSTOMER, email="gone@acme.example", username="gone")
    signed_in = client_for(customer)
    assert signed_in.get(reverse("feedback:board")).status_code == 200
    services.contact_erase(contact=customer.contact, actor=admin_user)
    customer.refresh_from_db()
    assert not customer.is_active
    assert customer.email == ""
    assert customer.first_name == ""
    assert not customer.has_usable_password()
    assert signed_in.get(reverse("feedback:board")).status_code == 302  # session is gone


def test_erasing_revokes_open_invitations(
    admin_user, own_account, client, django_capture_on_commit_callbacks
):
    contact = ContactFactory(account=own_account)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_send(actor=admin_user, contacts=[contact])
    path = _path(mail.outbox[0])
    services.contact_erase(contact=contact, actor=admin_user)
    assert client.post(path).status_code == 400


def test_free_mail_domains_can_never_be_account_domains(admin_user):
    with pytest.raises(ValidationError):
        services.account_domain_add(actor=admin_user, account=AccountFactory(), domain="gmail.com")


def test_domain_sign_up_waits_for_approval_then_lets_the_person_in(
    admin_user, csm, own_account, client, django_capture_on_commit_callbacks
):
    services.account_domain_add(actor=admin_user, account=own_account, domain="own.example")
    own_account.self_signup = True
    own_account.save()
    with django_capture_on_commit_callbacks(execute=True):
        same = [
            client.post(reverse("signup"), {"name": n, "email": e}).content.decode()
            for n, e in [("Eve", "eve@own.example"), ("Mal", "mal@other.example")]
        ]
    assert "a link is on its way" in same[0]
    assert "a link is on its way" in same[1]
    assert [m.to for m in mail.outbox] == [["eve@own.example"]]
    waiting = client.post(_path(mail.outbox[0]))
    assert "Waiting for approval" in waiting.content.decode()
    assert SESSION_KEY not in client.session
    invitation = Invitation.objects.get(email="eve@own.example")
    assert invitation.status == Invitation.Status.AWAITING_APPROVAL
    with django_capture_on_commit_callbacks(execute=True):
        user = services.signup_approve(actor=csm, invitation=invitation)
    assert user.contact.account == own_account
    assert user.is_active
    assert "approved" in mail.outbox[-1].body


def test_domain_sign_up_is_off_by_default_and_refuses_free_mail(admin_user, client):
    account = AccountFactory()
    services.account_domain_add(actor=admin_user, account=account, domain="closed.example")
    client.post(reverse("signup"), {"name": "X", "email": "x@closed.example"})
    assert mail.outbox == []
    refused = client.post(reverse("signup"), {"name": "Y", "email": "y@gmail.com"})
    assert refused.status_code == 400
    assert "work address" in refused.content.decode()


@pytest.mark.parametrize("route", ["password", "link", "domain"])
def test_a_customer_signed_in_by_any_route_sees_nothing_of_another_account(
    route, admin_user, client, django_capture_on_commit_callbacks
):
    mine, theirs = AccountFactory(name="Mine"), AccountFactory(name="Theirs")
    if route == "password":
        UserFactory(role=Role.CUSTOMER, username="pw", contact__account=mine)
        client.post(reverse("login"), {"login": "pw", "password": "correct-horse-battery"})
    else:
        with django_capture_on_commit_callbacks(execute=True):
            if route == "link":
                services.invitations_send(actor=admin_user, contacts=[ContactFactory(account=mine)])
            else:
                AccountDomain.objects.create(account=mine, domain="mine.example")
                mine.self_signup, mine.signup_needs_approval = True, False
                mine.save()
                client.post(reverse("signup"), {"name": "D", "email": "d@mine.example"})
        client.post(_path(mail.outbox[-1]))
    assert SESSION_KEY in client.session
    assert "Theirs" not in client.get(reverse("feedback:board")).content.decode()
    assert client.get(reverse("accounts:detail", args=[theirs.pk])).status_code == 403
    assert client.get(reverse("account-detail", args=[theirs.pk])).status_code == 403
    assert client.get(reverse("contact-list")).status_code == 403
