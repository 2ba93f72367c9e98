"""Factories of roadmap items."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from roadmap.models import RoadmapItem


class RoadmapItemFactory(DjangoModelFactory):
    class Meta:
        model = RoadmapItem

    title = factory.Sequence(lambda n: f"Roadmap item {n}")
    description = "What we are building."
    description_html = "<p>What we are building.</p>"
    is_public = True
