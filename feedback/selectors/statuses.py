"""The statuses' labels as the admins word them (cached: every board row shows one)."""

from __future__ import annotations

from core.cache import cache_delete, cache_get, cache_set
from feedback.models import StatusLabel
from feedback.statuses import IdeaStatus

_CACHE_KEY = "feedback:status-labels"


def labels() -> dict[str, str]:
    """Each status's label: an admin's wording where set, else the built-in one.

    Cached, since every board row shows a status; the admin clears it on save. Without
    the cache (its server away) the labels come from the database.
    """
    custom = cache_get(_CACHE_KEY)
    if custom is None:
        custom = dict(StatusLabel.objects.values_list("status", "label"))
        cache_set(_CACHE_KEY, custom, 300)
    return {status.value: custom.get(status.value) or str(status.label) for status in IdeaStatus}


def labels_clear() -> None:
    cache_delete(_CACHE_KEY)
