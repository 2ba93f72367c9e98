"""The life of an idea, kept apart from the models so that pure modules (the trending
math, the policies) can name statuses without importing a model. The labels admins give
them are read by ``feedback.selectors.statuses``; other apps take ``IdeaStatus`` from
``feedback.models``."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class IdeaStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("idea status", "Open")
    UNDER_REVIEW = "under_review", _("Under review")
    PLANNED = "planned", pgettext_lazy("idea status", "Planned")
    IN_PROGRESS = "in_progress", pgettext_lazy("idea status", "In progress")
    SHIPPED = "shipped", pgettext_lazy("idea status", "Shipped")
    DECLINED = "declined", _("Declined")
    MERGED = "merged", _("Merged")


#: Statuses in which customers can still vote and comment. A shipped, declined or
#: merged idea is closed: its votes stay, but it collects no more.
VOTABLE_STATUSES = frozenset(
    {IdeaStatus.OPEN, IdeaStatus.UNDER_REVIEW, IdeaStatus.PLANNED, IdeaStatus.IN_PROGRESS}
)
#: A PM sets these from triage; MERGED is reached only through a merge.
SETTABLE_STATUSES = tuple(s for s in IdeaStatus if s != IdeaStatus.MERGED)
#: Statuses a PM still has to decide on: the triage queue and the count in the header.
#: Any other status is a decision, so the idea leaves the queue.
NEEDS_TRIAGE = (IdeaStatus.OPEN, IdeaStatus.UNDER_REVIEW)
