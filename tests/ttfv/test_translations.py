"""Onboarding in Spanish and Greek: the default template is named in the installation's
language, whoever's request creates it."""

from __future__ import annotations

import pytest
from django.utils import translation

from ttfv.engine import default_template_ensure
from ttfv.models import MilestoneTemplate


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("es", ["Incorporación predeterminada", "Llamada de arranque", "Primer valor"]),
        ("el", ["Προεπιλεγμένη ενσωμάτωση", "Εναρκτήρια κλήση", "Πρώτη αξία"]),
    ],
)
def test_the_default_template_is_named_in_the_installations_language(settings, language, names):
    MilestoneTemplate.objects.filter(plan="", segment="").delete()
    settings.LANGUAGE_CODE = language
    # Whoever triggers the creation reads English: the stored names do not follow them.
    with translation.override("en"):
        template = default_template_ensure()
    milestones = list(template.milestones.order_by("position").values_list("name", flat=True))
    assert [template.name, *milestones] == names
