"""Template helpers of the idea board."""

from __future__ import annotations

from django import template

from feedback.statuses import VOTABLE_STATUSES

register = template.Library()


@register.filter
def label_of(labels: dict[str, str], status: str) -> str:
    """``{{ status_labels|label_of:idea.status }}``: the admin's wording of a status.

    The labels dict is read once per page (``feedback.statuses.labels()``) and looked up
    here per row, so a page of 25 ideas costs no query and no cache round trip per row.
    """
    return labels.get(status, status)


@register.filter
def is_votable(status: str) -> bool:
    """Whether an idea in ``status`` still takes votes and customers' comments."""
    return status in VOTABLE_STATUSES
