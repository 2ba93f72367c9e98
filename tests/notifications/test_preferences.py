"""Preferences per person and per kind: honoured when alerts are raised, saved through
the settings page and the API, with each role's defaults."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from core import i18n
from core.roles import Role
from notifications import services
from notifications.models import Alert, NotificationPreference
from notifications.services.alerts import AlertDraft
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

CHOICES = {"ideas": "daily", "comments": "off", "risks": "instant", "health": "off"}


def _draft(user, kind, key="k1"):
    return AlertDraft(
        kind=kind,
        recipient_id=user.pk,
        title=i18n.deferred("Something happened"),
        dedupe_key=f"{kind}:{key}",
    )


def test_defaults_follow_the_role():
    pm = UserFactory(role=Role.PM)
    customer = UserFactory(role=Role.CUSTOMER)
    assert services.preferences_of(pm)["risks"] == "daily"
    assert services.preferences_of(pm)["ideas"] == "instant"
    assert services.preferences_of(customer)["ideas"] == "instant"
    assert services.preferences_of(customer)["digest"] == "daily"


def test_each_kind_is_delivered_as_its_owner_chose(django_capture_on_commit_callbacks):
    csm = UserFactory(role=Role.CSM, email="csm@vendor.test")
    services.preferences_update(
        user=csm, choices={"ideas": "off", "health": "daily", "comments": "instant"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.alerts_raise(
            [
                _draft(csm, "feedback.idea"),
                _draft(csm, "health.band_drop"),
                _draft(csm, "feedback.comment"),
            ]
        )
    states = dict(Alert.objects.values_list("kind", "email_state"))
    # "Off" writes nothing at all; "daily" waits for the digest; "instant" is mailed.
    assert states == {"health.band_drop": "digest", "feedback.comment": "sent"}
    assert [m.subject for m in mail.outbox] == ["Something happened"]


def test_a_digested_kind_stays_in_the_inbox_when_the_digest_is_off():
    pm = UserFactory(role=Role.PM, email="pm@vendor.test")
    services.preferences_update(user=pm, choices={"digest": "off"})
    services.alerts_raise([_draft(pm, "feedback.product_risk")])
    assert Alert.objects.get().email_state == Alert.EmailState.SKIPPED
    assert mail.outbox == []


def test_a_kind_without_a_category_is_always_delivered(django_capture_on_commit_callbacks):
    pm = UserFactory(role=Role.PM, email="pm@vendor.test")
    with django_capture_on_commit_callbacks(execute=True):
        services.alerts_raise([_draft(pm, "ttfv.late")])
    assert Alert.objects.get().email_state == Alert.EmailState.SENT


def test_the_digest_cannot_be_instant_and_nothing_is_saved_then():
    user = UserFactory(role=Role.PM)
    with pytest.raises(ValidationError) as caught:
        services.preferences_update(user=user, choices={"ideas": "off", "digest": "instant"})
    assert "digest" in caught.value.message_dict
    assert not NotificationPreference.objects.exists()


def test_settings_page_saves_choices(client_for):
    pm = UserFactory(role=Role.PM)
    client = client_for(pm)
    page = client.get(reverse("notifications:preferences"))
    assert b'<label for="id_risks">' in page.content
    response = client.post(
        reverse("notifications:preferences"),
        {**CHOICES, "digest": "daily"},
    )
    assert response.status_code == 302
    assert services.preferences_of(pm) == {
        "ideas": "daily",
        "comments": "off",
        "risks": "instant",
        "health": "off",
        "digest": "daily",
    }


def test_settings_page_refuses_an_instant_digest_with_a_message(client_for):
    client = client_for(UserFactory(role=Role.PM))
    response = client.post(
        reverse("notifications:preferences"),
        {**CHOICES, "digest": "instant"},
    )
    assert response.status_code == 200
    assert b"field-error" in response.content
    assert not NotificationPreference.objects.exists()


def test_the_person_settings_page_links_to_notification_settings(client_for):
    response = client_for(UserFactory(role=Role.CUSTOMER)).get(reverse("user_settings"))
    assert reverse("notifications:preferences").encode() in response.content


def test_api_reads_and_changes_only_the_callers_preferences(client_for):
    pm, other = UserFactory(role=Role.PM), UserFactory(role=Role.PM)
    client = client_for(pm)
    url = reverse("api-notification-preferences")
    assert client.get(url).json()["risks"] == "daily"
    response = client.patch(url, {"risks": "off"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["risks"] == "off"
    assert services.preferences_of(pm)["risks"] == "off"
    assert services.preferences_of(other)["risks"] == "daily"


@pytest.mark.parametrize(
    "body",
    [{"risks": "sometimes"}, {"digest": "instant"}, {"weather": "off"}, ["risks"]],
)
def test_api_answers_bad_preferences_with_400_json(client_for, body):
    client = client_for(UserFactory(role=Role.PM))
    response = client.patch(
        reverse("api-notification-preferences"), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert not NotificationPreference.objects.exists()
