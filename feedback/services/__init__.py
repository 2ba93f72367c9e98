"""Writes of the feedback board. Each function is one business action, atomic and
keyword-only; views, the API and tasks call these and nothing lower."""

from feedback.services.comments import comment_add
from feedback.services.errors import IdeaMerged, VoteClosed
from feedback.services.follows import follow_set
from feedback.services.ideas import idea_create, idea_update, trend_score_of
from feedback.services.pending import (
    notification_hold,
    notifications_still_held,
    pending_notifications_deliver,
    status_changes_take_back,
)
from feedback.services.status import idea_status_change
from feedback.services.votes import vote_cast, vote_on_behalf, vote_withdraw

__all__ = [
    "IdeaMerged",
    "VoteClosed",
    "comment_add",
    "follow_set",
    "idea_create",
    "idea_status_change",
    "idea_update",
    "notification_hold",
    "notifications_still_held",
    "pending_notifications_deliver",
    "status_changes_take_back",
    "trend_score_of",
    "vote_cast",
    "vote_on_behalf",
    "vote_withdraw",
]
from feedback.services.merge import idea_merge
from feedback.services.tickets import idea_ticket_link, idea_ticket_unlink

__all__ += ["idea_merge", "idea_ticket_link", "idea_ticket_unlink"]
