"""The statuses' labels as the admins word them (cached: every board row shows one)."""

from __future__ import annotations

from core import i18n
from core.cache import cache_delete, cache_get, cache_set
from feedback.models import StatusLabel
from feedback.statuses import IdeaStatus

_CACHE_KEY = "feedback:status-labels"


def _custom_labels() -> dict[str, str]:
    custom = cache_get(_CACHE_KEY)
    if custom is None:
        custom = dict(StatusLabel.objects.values_list("status", "label"))
        cache_set(_CACHE_KEY, custom, 300)
    return custom


def labels() -> dict[str, str]:
    """Each status's label: an admin's wording where set, else the built-in one.

    Cached, since every board row shows a status; the admin clears it on save. Without
    the cache (its server away) the labels come from the database.
    """
    custom = _custom_labels()
    return {status.value: custom.get(status.value) or str(status.label) for status in IdeaStatus}


def label_deferred(status: str) -> i18n.DeferredText | str:
    """A status's label for a notification: the built-in one is translated for each
    reader; an admin's own wording is shown as written."""
    return _custom_labels().get(status) or i18n.deferred_label(IdeaStatus(status).label)


def labels_clear() -> None:
    cache_delete(_CACHE_KEY)
