"""Personal-data requests: export a contact's data, erase it while keeping usage."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import Contact, Note, SurveyResponse, UsageEvent
from tests.accounts.factories import (
    ContactFactory,
    DailyUsageFactory,
    SurveyResponseFactory,
    UsageEventFactory,
)
from tests.actors import ACTORS

pytestmark = pytest.mark.django_db


@pytest.fixture
def dana(account_a):
    contact = ContactFactory(
        account=account_a,
        name="Dana Whitfield",
        email="dana@northwind.example",
        title="Head of Ops",
        is_champion=True,
    )
    UsageEventFactory.create_batch(3, account=account_a, contact=contact)
    SurveyResponseFactory(
        account=account_a, contact=contact, kind="nps", score=9, comment="Dana here, love it"
    )
    return contact


def _export(contact) -> str:
    return reverse("accounts:contact_export", args=[contact.pk])


def _erase(contact) -> str:
    return reverse("accounts:contact_erase", args=[contact.pk])


@pytest.mark.parametrize("url", [_export, _erase])
@pytest.mark.parametrize(
    ("actor", "expected"), list(zip(ACTORS, ["login", 403, 403, 403, 200], strict=True))
)
def test_privacy_pages_are_for_admins_only(actors, dana, url, actor, expected):
    response = actors[actor].get(url(dana))
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(
    ("actor", "expected"), list(zip(ACTORS, ["login", 403, 403, 403, 302], strict=True))
)
def test_only_admins_can_erase(actors, dana, actor, expected):
    response = actors[actor].post(_erase(dana))
    assert response.status_code == 302 if expected == "login" else expected
    dana.refresh_from_db()
    assert (dana.name == "Dana Whitfield") == (expected != 302)


def test_export_downloads_the_contacts_personal_data_as_json(client_for, admin_user, dana):
    SurveyResponseFactory(account=dana.account, comment="someone else")
    response = client_for(admin_user).get(_export(dana))
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == f'attachment; filename="contact-{dana.pk}.json"'
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["contact"] == {
        "id": dana.pk,
        "name": "Dana Whitfield",
        "email": "dana@northwind.example",
        "title": "Head of Ops",
        "is_champion": True,
        "created_at": dana.created_at.isoformat(),
    }
    assert data["account"] == {"id": dana.account_id, "name": "Account A"}
    assert [(r["kind"], r["score"], r["comment"]) for r in data["survey_responses"]] == [
        ("nps", 9, "Dana here, love it")
    ]
    assert data["usage_event_count"] == 3


def test_erase_blanks_personal_fields_and_keeps_usage_as_anonymous(client_for, admin_user, dana):
    rollup = DailyUsageFactory(account=dana.account, active_contacts=1)
    events_before = set(UsageEvent.objects.values_list("pk", flat=True))

    response = client_for(admin_user).post(_erase(dana), follow=True)

    dana.refresh_from_db()
    assert dana.name == f"Erased contact #{dana.pk}"
    assert (dana.email, dana.title, dana.is_champion) == ("", "", False)
    assert set(UsageEvent.objects.values_list("pk", flat=True)) == events_before
    assert not UsageEvent.objects.filter(contact__isnull=False).exists()
    survey = SurveyResponse.objects.get()
    assert (survey.contact, survey.comment, survey.score) == (None, "", 9)
    rollup.refresh_from_db()
    assert rollup.active_contacts == 1  # history of the account does not change

    assert response.redirect_chain[-1][0] == reverse("accounts:detail", args=[dana.account_id])
    html = response.content.decode()
    assert f"Personal data of contact #{dana.pk} was erased." in html
    assert "Dana Whitfield" not in html


def test_erase_writes_an_audit_note_by_the_acting_admin(admin_user, dana):
    services.contact_erase(contact=dana, actor=admin_user)
    note = Note.objects.get()
    assert note.account == dana.account
    assert note.author == admin_user
    assert note.body == f"Personal data of contact #{dana.pk} erased by {admin_user}"


def test_erase_is_all_or_nothing(admin_user, dana, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Note.objects, "create", fail)
    with pytest.raises(RuntimeError):
        services.contact_erase(contact=dana, actor=admin_user)
    dana.refresh_from_db()
    assert dana.name == "Dana Whitfield"
    assert UsageEvent.objects.filter(contact=dana).count() == 3
    assert SurveyResponse.objects.get().comment == "Dana here, love it"


def test_erase_confirmation_explains_and_warns_about_a_portal_user(
    client_for, admin_user, customer_a
):
    html = client_for(admin_user).get(_erase(customer_a.contact)).content.decode()
    assert "This cannot be undone." in html
    assert "anonymous usage" in html
    assert "customer_a" in html  # their portal login is named, to deactivate separately
    assert 'method="post"' in html


def test_erase_of_unknown_contact_is_404(client_for, admin_user):
    assert (
        client_for(admin_user).post(reverse("accounts:contact_erase", args=[9999])).status_code
        == 404
    )
    assert Contact.objects.count() == 0


@pytest.mark.parametrize(("actor", "shown"), [("admin", True), ("csm", False), ("pm", False)])
def test_contacts_table_links_privacy_actions_for_admins_only(actors, dana, actor, shown):
    html = actors[actor].get(reverse("accounts:detail", args=[dana.account_id])).content.decode()
    assert (_export(dana) in html) == shown
    assert (_erase(dana) in html) == shown
