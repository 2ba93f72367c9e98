from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.markdown import render_markdown
from feedback import extensions
from feedback.models import Idea, StatusChange
from feedback.services.pending import notification_hold, status_change_recorded, status_event
from feedback.statuses import SETTABLE_STATUSES, IdeaStatus


@transaction.atomic
def idea_status_change(
    *, idea: Idea, status: str, actor: User | None, message: str = "", notify: bool = True
) -> StatusChange | None:
    """Move an idea to ``status`` with an optional public message to its people.

    Returns the recorded change, or None when the idea already had that status and no
    message was given. People are told after the undo window (``notification_hold``);
    ``notify=False`` is for callers that tell people themselves in one notification (a
    roadmap item shipping several ideas at once).
    """
    if status not in SETTABLE_STATUSES:
        raise ValidationError(
            _("%(status)s is not a status you can set.") % {"status": status}, code="status"
        )
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if idea.status == IdeaStatus.MERGED:
        raise ValidationError(_("A merged idea keeps its status."), code="merged")
    if idea.status == status and not message.strip():
        return None
    change = StatusChange.objects.create(
        idea=idea,
        from_status=idea.status,
        to_status=status,
        message=message.strip(),
        message_html=render_markdown(message),
        changed_by=actor,
    )
    idea.status = status
    idea.save(update_fields=["status", "updated_at"])
    extensions.idea_status_changed(idea)  # e.g. shipped resolves the idea's risk flag
    status_change_recorded(change)
    if notify:
        notification_hold(
            changes=[change],
            **status_event(idea=idea, change=change),
            actor_id=getattr(actor, "pk", None),
        )
    return change
