from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.markdown import render_markdown
from feedback import limits, policies, trending
from feedback.models import Comment, Idea
from feedback.selectors import statuses
from feedback.services.errors import IdeaMerged
from feedback.services.follows import follow_with
from feedback.statuses import IdeaStatus


@transaction.atomic
def comment_add(*, idea: Idea, author: User, body: str, internal: bool = False) -> Comment:
    """Add a public comment, or an internal one (vendor staff only).

    Public comments count toward the idea's comment counter and its trending score; an
    internal one changes nothing a customer can see. Raises PermissionDenied for an
    internal comment by a customer, IdeaMerged on a merged idea, ValidationError when
    public comments are closed (``policies.may_comment_publicly``), and
    ``limits.RateLimited`` past the hourly limit.
    """
    if internal and not policies.is_staff(author):
        raise PermissionDenied(_("Only your team can post internal comments."))
    # Locked like a merge locks it: a comment never lands on an idea merged meanwhile.
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if idea.status == IdeaStatus.MERGED:
        raise IdeaMerged(
            idea_id=idea.pk,
            target_id=idea.merged_into_id,
            message=_("This idea was merged into another; comment there."),
        )
    if not internal and not policies.may_comment_publicly(author, idea):
        raise ValidationError(
            _("Comments are closed: this idea is %(status)s.")
            % {"status": statuses.labels()[idea.status].lower()},
            code="comments_closed",
        )
    limits.ensure_can_comment(author)
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
        follow_with(idea=idea, user=author)
    return comment
