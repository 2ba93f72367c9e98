from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from core.markdown import render_markdown
from core.queue import queue_task_on_commit
from feedback import extensions
from feedback.models import Idea, StatusChange
from feedback.selectors import statuses
from feedback.statuses import SETTABLE_STATUSES, IdeaStatus


def notify_after_commit(
    *, idea_ids: list[int], event_key: str, title: str, body: str, url: str, actor_id: int | None
) -> None:
    """Queue the fan-out once the change is committed, so no one hears of a rollback."""
    queue_task_on_commit(
        "feedback.tasks.notify_idea_event", idea_ids, event_key, title, body, url, actor_id
    )


@transaction.atomic
def idea_status_change(
    *, idea: Idea, status: str, actor: User | None, message: str = "", notify: bool = True
) -> StatusChange | None:
    """Move an idea to ``status`` with an optional public message to its people.

    Returns the recorded change, or None when the idea already had that status and no
    message was given. ``notify=False`` is for callers that tell people themselves in one
    notification (a roadmap item shipping several ideas at once).
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
    if notify:
        label = statuses.labels()[status]
        notify_after_commit(
            idea_ids=[idea.pk],
            event_key=f"idea-status:{change.pk}",
            title=_("“%(idea)s” is now %(status)s") % {"idea": idea.title, "status": label},
            body=change.message,
            url=reverse("feedback:idea", args=[idea.pk]),
            actor_id=getattr(actor, "pk", None),
        )
    return change
