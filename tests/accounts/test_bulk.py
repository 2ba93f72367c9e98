"""Bulk actions on the portfolio: reassign, set the stage, export; confirmed, audited,
and refused to whoever may not."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts import extensions, services
from accounts.models import Account
from core.models import AuditEvent
from core.roles import Role
from tests.accounts.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db
BULK = reverse("accounts:portfolio_bulk")


@pytest.fixture
def other_csm(db):
    return UserFactory(role=Role.CSM, first_name="Ana", last_name="Ruiz")


def test_reassigning_changes_and_audits_only_what_changed(csm, other_csm):
    mine = AccountFactory.create_batch(3, csm_owner=csm)
    already = AccountFactory(csm_owner=other_csm)
    unassigned = AccountFactory(csm_owner=None)

    changed = services.accounts_reassign(
        actor=csm, account_ids=[a.pk for a in [*mine, unassigned]], csm=other_csm
    )

    assert changed == 4
    assert set(Account.objects.filter(csm_owner=other_csm).values_list("pk", flat=True)) == {
        a.pk for a in [*mine, already, unassigned]
    }
    events = AuditEvent.objects.filter(action="account.reassign")
    assert events.count() == 4
    assert len({e.batch for e in events}) == 1
    event = events.get(target_id=unassigned.pk)
    assert (event.actor, event.target_type, event.changes) == (
        csm,
        "accounts.account",
        {"csm_owner_id": [None, other_csm.pk]},
    )


def test_a_csm_cannot_touch_a_colleagues_accounts_and_nothing_half_happens(csm, other_csm):
    mine = AccountFactory(csm_owner=csm)
    theirs = AccountFactory(csm_owner=other_csm)

    with pytest.raises(PermissionDenied):
        services.accounts_set_stage(actor=csm, account_ids=[mine.pk, theirs.pk], stage="renewal")

    mine.refresh_from_db()
    assert mine.lifecycle_stage != "renewal"
    assert not AuditEvent.objects.exists()


def test_admins_change_any_account_and_pms_none(admin_user, pm, other_csm):
    theirs = AccountFactory(csm_owner=other_csm, lifecycle_stage="adoption")

    assert (
        services.accounts_set_stage(actor=admin_user, account_ids=[theirs.pk], stage="renewal") == 1
    )
    with pytest.raises(PermissionDenied):
        services.accounts_set_stage(actor=pm, account_ids=[theirs.pk], stage="churned")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"account_ids": []},
        {"account_ids": list(range(1, services.MAX_SELECTION + 2))},
        {"account_ids": [999999]},
        {"stage": "dormant"},
    ],
)
def test_bad_selections_are_refused_with_a_reason(admin_user, kwargs):
    account = AccountFactory()
    arguments = {"account_ids": [account.pk], "stage": "renewal", **kwargs}
    with pytest.raises(ValidationError):
        services.accounts_set_stage(actor=admin_user, **arguments)


def test_reassigning_to_someone_who_is_not_a_csm_is_refused(admin_user, pm):
    with pytest.raises(ValidationError):
        services.accounts_reassign(actor=admin_user, account_ids=[AccountFactory().pk], csm=pm)


def test_the_page_asks_with_the_count_then_changes_on_confirmation(client_for, csm, other_csm):
    accounts = AccountFactory.create_batch(2, csm_owner=csm)
    client = client_for(csm)
    data = {
        "account": [a.pk for a in accounts],
        "action": "reassign",
        "reassign-csm": other_csm.pk,
        "next": "/accounts/?scope=mine",
    }

    asked = client.post(BULK, data)

    assert asked.status_code == 200
    assert "Make Ana Ruiz the CSM of 2 accounts?" in asked.content.decode()
    assert not Account.objects.filter(csm_owner=other_csm).exists()

    done = client.post(BULK, {**data, "confirmed": "on"}, follow=False)

    assert done.status_code == 302
    assert done["Location"] == "/accounts/?scope=mine"
    assert Account.objects.filter(csm_owner=other_csm).count() == 2
    assert AuditEvent.objects.count() == 2


def test_the_page_refuses_a_pm_and_a_customer(client_for, pm, customer_a, account_a):
    data = {
        "account": [account_a.pk],
        "action": "stage",
        "stage-stage": "churned",
        "confirmed": "on",
    }

    assert client_for(pm).post(BULK, data).status_code == 400  # no such action for a PM
    assert client_for(customer_a).post(BULK, data).status_code == 403
    account_a.refresh_from_db()
    assert account_a.lifecycle_stage != "churned"


def test_the_page_explains_a_missing_choice(client_for, csm):
    account = AccountFactory(csm_owner=csm)

    response = client_for(csm).post(BULK, {"account": [account.pk], "action": "reassign"})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_export_of_the_selection_has_translated_headers_and_plain_values(client_for, pm):
    from datetime import date

    chosen = AccountFactory(name="Acme", arr=12345.5, renews_on=date(2026, 9, 1))
    AccountFactory(name="Not chosen")

    response = client_for(pm).post(
        BULK, {"account": [chosen.pk], "export": "1"}, HTTP_ACCEPT_LANGUAGE="es"
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))

    assert response.status_code == 200
    assert len(rows) == 2
    header, row = rows
    assert header[:2] == ["Nombre", "ID externo"]  # the reader's language
    assert row[0] == "Acme"
    assert "12345.50" in row
    assert "2026-09-01" in row


def test_other_apps_register_their_actions_beside_ours():
    keys = [a.key for a in extensions.bulk_actions(Role.CSM)]
    assert keys[:2] == ["reassign", "stage"]
    assert extensions.bulk_actions(Role.CUSTOMER) == []


def test_the_portfolio_offers_selection_boxes_and_the_actions_of_the_role(client_for, csm, pm):
    account = AccountFactory(name="Acme", csm_owner=csm)

    csm_html = client_for(csm).get(reverse("accounts:portfolio"), {"scope": "all"}).content.decode()
    pm_html = client_for(pm).get(reverse("accounts:portfolio")).content.decode()

    assert f'value="{account.pk}" form="bulk-form"' in csm_html
    assert 'value="reassign"' in csm_html
    assert 'value="reassign"' not in pm_html
    assert "Export selected (CSV)" in pm_html
