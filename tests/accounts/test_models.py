"""Account, Contact and User rules, and the one place rows are scoped to a user."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.models import Account, Contact, User
from core.roles import Role
from tests.accounts.factories import AccountFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_customer_user_without_contact_is_refused_by_validation_and_database():
    user = User(username="lonely", role=Role.CUSTOMER)
    with pytest.raises(ValidationError, match="linked to a contact"):
        user.full_clean()
    with pytest.raises(IntegrityError):
        User.objects.create(username="lonely", role=Role.CUSTOMER)


def test_createsuperuser_makes_an_admin():
    user = User.objects.create_superuser("root", "root@example.com", "pw")
    assert user.role == Role.ADMIN


def test_customer_acts_for_the_account_of_their_contact(customer_a, account_a):
    assert customer_a.account_id == account_a.pk


def test_staff_have_no_account(csm):
    assert csm.account_id is None


def test_customer_sees_only_their_own_account(customer_a, account_a, account_b):
    assert list(Account.objects.visible_to(customer_a)) == [account_a]


def test_customer_sees_only_their_own_contact(customer_a, account_a):
    ContactFactory(account=account_a)
    assert list(Contact.objects.visible_to(customer_a)) == [customer_a.contact]


@pytest.mark.parametrize("role", [Role.CSM, Role.PM, Role.ADMIN])
def test_staff_see_every_account(role, account_a, account_b):
    user = UserFactory(role=role)
    assert set(Account.objects.visible_to(user)) == {account_a, account_b}


def test_anonymous_sees_nothing(account_a):
    from django.contrib.auth.models import AnonymousUser

    assert not Account.objects.visible_to(AnonymousUser()).exists()
    assert not Contact.objects.visible_to(AnonymousUser()).exists()


def test_negative_arr_is_refused():
    with pytest.raises(IntegrityError):
        AccountFactory(arr=-1)


def test_renewal_before_start_is_refused():
    from datetime import date

    account = AccountFactory.build(started_on=date(2026, 5, 1), renews_on=date(2026, 4, 1))
    with pytest.raises(ValidationError, match="renewal date"):
        account.full_clean()


def test_one_email_per_account_but_blank_emails_repeat(account_a):
    ContactFactory(account=account_a, email="a@example.com")
    ContactFactory(account=account_a, email="")
    ContactFactory(account=account_a, email="")
    ContactFactory(email="a@example.com")  # the same person at another account is fine
    with pytest.raises(IntegrityError):
        ContactFactory(account=account_a, email="a@example.com")


def test_unknown_time_zone_is_a_validation_error(csm):
    csm.time_zone = "Mars/Olympus"
    with pytest.raises(ValidationError, match="time zone"):
        csm.full_clean()
