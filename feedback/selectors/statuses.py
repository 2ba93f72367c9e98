"""The statuses' labels as the admins word them (cached: every board row shows one)."""

from __future__ import annotations

from django.core.cache import cache

from feedback.models import StatusLabel
from feedback.statuses import IdeaStatus

_CACHE_KEY = "feedback:status-labels"


def labels() -> dict[str, str]:
    """Each status's label: an admin's wording where set, else the built-in one.

    Cached, since every board row shows a status; the admin clears it on save.
    """
    custom = cache.get(_CACHE_KEY)
    if custom is None:
        custom = dict(StatusLabel.objects.values_list("status", "label"))
        cache.set(_CACHE_KEY, custom, 300)
    return {status.value: custom.get(status.value) or str(status.label) for status in IdeaStatus}


def labels_clear() -> None:
    cache.delete(_CACHE_KEY)
