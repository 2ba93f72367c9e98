from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.markdown import render_markdown
from feedback import limits, trending
from feedback.models import Comment, Idea
from feedback.services.follows import follow_set
from feedback.statuses import IdeaStatus


@transaction.atomic
def comment_add(*, idea: Idea, author, body: str, internal: bool = False) -> Comment:
    """Add a public comment, or an internal one (vendor staff only).

    Public comments count toward the idea's comment counter and its trending score; an
    internal one changes nothing a customer can see. Raises ``limits.RateLimited``.
    """
    if internal and not author.is_staff_role:
        raise PermissionDenied(_("Only your team can see internal comments."))
    limits.ensure_can_comment(author)
    # Locked like a merge locks it: a comment never lands on an idea merged meanwhile.
    current = Idea.objects.select_for_update().values_list("status", flat=True).get(pk=idea.pk)
    if current == IdeaStatus.MERGED:
        raise ValidationError(_("This idea was merged into another; comment there."), code="merged")
    comment = Comment.objects.create(
        idea=idea,
        author=author,
        body=body.strip(),
        body_html=render_markdown(body),
        is_internal=internal,
    )
    if not internal:
        Idea.objects.filter(pk=idea.pk).update(
            comment_count=F("comment_count") + 1,
            trend_score=trending.trend_update(timezone.now(), trending.WEIGHT_COMMENT),
        )
        follow_set(idea=idea, user=author)
    return comment
