"""An alert is read in its recipient's language, whoever caused it and in whatever
language they were reading: on the inbox page, in the API and in the e-mail."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from core.roles import Role
from feedback import services
from feedback.statuses import IdeaStatus
from notifications.models import Alert
from tests.accounts.factories import UserFactory
from tests.feedback.factories import IdeaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def voters(account_a):
    greek = UserFactory(
        role=Role.CUSTOMER, contact__account=account_a, language="el", email="el@x.test"
    )
    english = UserFactory(
        role=Role.CUSTOMER, contact__account=account_a, language="", email="en@x.test"
    )
    return greek, english


def test_an_english_pms_status_change_reaches_a_greek_customer_in_greek(
    voters, django_capture_on_commit_callbacks, client_for
):
    greek, _english = voters
    idea = IdeaFactory(title="Dark mode")
    for voter in voters:
        services.follow_set(idea=idea, user=voter)
    pm = UserFactory(role=Role.PM, language="en")

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.idea_status_change(idea=idea, status=IdeaStatus.PLANNED, actor=pm)

    by_address = {message.to[0]: message for message in mail.outbox}
    assert (
        by_address["el@x.test"].subject
        == "Η ιδέα «Dark mode» πέρασε σε κατάσταση «Προγραμματισμένη»"
    )
    assert "Όλες οι ειδοποιήσεις σας" in by_address["el@x.test"].body
    assert by_address["en@x.test"].subject == "“Dark mode” is now Planned"

    inbox = client_for(greek).get(reverse("notifications:inbox")).content.decode()
    assert "Η ιδέα «Dark mode» πέρασε σε κατάσταση «Προγραμματισμένη»" in inbox
    api = client_for(greek).get("/api/notifications/").json()
    assert api["results"][0]["title"].startswith("Η ιδέα «Dark mode»")

    # The same stored alert reads in the language its reader chooses later.
    greek.language = "es"
    greek.save()
    inbox = client_for(greek).get(reverse("notifications:inbox")).content.decode()
    assert "Nuevo estado de “Dark mode”: Planificada" in inbox
    # The admin sees the English source.
    assert Alert.objects.get(recipient=greek).title == "“Dark mode” is now Planned"
