"""The life of an idea, kept apart from the models so that pure modules (the trending
math, risk rules) and the roadmap can name statuses without importing a model."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdeaStatus(models.TextChoices):
    OPEN = "open", _("Open")
    UNDER_REVIEW = "under_review", _("Under review")
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    SHIPPED = "shipped", _("Shipped")
    DECLINED = "declined", _("Declined")
    MERGED = "merged", _("Merged")


#: Statuses in which customers can still vote and comment. A shipped, declined or
#: merged idea is closed: its votes stay, but it collects no more.
VOTABLE_STATUSES = frozenset(
    {IdeaStatus.OPEN, IdeaStatus.UNDER_REVIEW, IdeaStatus.PLANNED, IdeaStatus.IN_PROGRESS}
)
#: A PM sets these from triage; MERGED is reached only through a merge.
SETTABLE_STATUSES = tuple(s for s in IdeaStatus if s != IdeaStatus.MERGED)


_CACHE_KEY = "feedback:status-labels"


def labels() -> dict[str, str]:
    """Each status's label: an admin's wording where set, else the built-in one.

    Cached, since every board row shows a status; the admin clears it on save.
    """
    from django.core.cache import cache

    custom = cache.get(_CACHE_KEY)
    if custom is None:
        from feedback.models import StatusLabel

        custom = dict(StatusLabel.objects.values_list("status", "label"))
        cache.set(_CACHE_KEY, custom, 300)
    return {status.value: custom.get(status.value) or str(status.label) for status in IdeaStatus}


def labels_clear() -> None:
    from django.core.cache import cache

    cache.delete(_CACHE_KEY)
