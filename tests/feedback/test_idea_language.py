"""An idea's language: taken from the poster's active language on the page and the API,
named explicitly on the API, checked against LANGUAGES, corrected by a PM."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from feedback import services
from feedback.models import Idea
from tests.feedback.factories import IdeaFactory

pytestmark = pytest.mark.django_db

LIST = reverse("idea-list")


# --- Service --------------------------------------------------------------------------


def test_an_idea_takes_the_posters_active_language(customer_a):
    with translation.override("el"):
        idea = services.idea_create(author=customer_a, title="Εξαγωγή αναφορών")
    assert idea.language == "el"


def test_a_named_language_wins_and_an_unknown_one_is_refused(customer_a):
    with translation.override("en"):
        idea = services.idea_create(author=customer_a, title="Exportar informes", language="es")
    assert idea.language == "es"
    with pytest.raises(ValidationError) as error:
        services.idea_create(author=customer_a, title="Exporter les rapports", language="fr")
    assert "language" in error.value.message_dict
    assert Idea.objects.count() == 1


def test_editing_keeps_the_language_unless_a_new_one_is_given(pm):
    idea = IdeaFactory(language="en")
    services.idea_update(
        idea=idea, actor=pm, title="Exportar informes", description="", category=None
    )
    idea.refresh_from_db()
    assert idea.language == "en"
    services.idea_update(
        idea=idea, actor=pm, title="Exportar informes", description="", category=None, language="es"
    )
    idea.refresh_from_db()
    assert idea.language == "es"


# --- API ------------------------------------------------------------------------------


def test_api_posts_in_the_request_language_or_the_one_named(client_for, customer_a):
    client = client_for(customer_a)
    response = client.post(
        LIST,
        {"title": "Exportar informes"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert response.status_code == 201
    assert response.json()["language"] == "es"
    response = client.post(
        LIST, {"title": "Εξαγωγή αναφορών", "language": "el"}, content_type="application/json"
    )
    assert response.status_code == 201
    assert Idea.objects.get(pk=response.json()["id"]).language == "el"


def test_api_refuses_an_unknown_language_with_a_400_naming_it(client_for, customer_a):
    response = client_for(customer_a).post(
        LIST, {"title": "Exporter les rapports", "language": "fr"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "language" in response.json()
    assert not Idea.objects.exists()


def test_api_pm_corrects_the_language(client_for, pm):
    idea = IdeaFactory(title="Exportar informes", language="en")
    response = client_for(pm).patch(
        reverse("idea-detail", kwargs={"pk": idea.pk}),
        {"language": "es"},
        content_type="application/json",
    )
    assert response.status_code == 200
    idea.refresh_from_db()
    assert (idea.language, idea.title) == ("es", "Exportar informes")


# --- Pages ----------------------------------------------------------------------------


def test_page_posts_in_the_language_the_page_is_read_in(client_for, customer_a):
    response = client_for(customer_a).post(
        reverse("feedback:idea_new"), {"title": "Exportar informes"}, HTTP_ACCEPT_LANGUAGE="es"
    )
    assert response.status_code == 302
    assert Idea.objects.get().language == "es"


def test_pm_corrects_the_language_on_the_edit_page(client_for, pm):
    idea = IdeaFactory(title="Εξαγωγή αναφορών", language="en")
    client = client_for(pm)
    page = client.get(reverse("feedback:idea_edit", args=[idea.pk]))
    assert 'name="language"' in page.content.decode()
    response = client.post(
        reverse("feedback:idea_edit", args=[idea.pk]),
        {"title": "Εξαγωγή αναφορών", "description": "", "language": "el"},
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.language == "el"
