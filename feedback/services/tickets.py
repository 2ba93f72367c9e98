"""Links between support tickets and the ideas they ask for: demand heard in support."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Ticket, User
from feedback import extensions
from feedback.models import Idea, IdeaTicket
from feedback.statuses import IdeaStatus


@transaction.atomic
def idea_ticket_link(*, idea: Idea, ticket: Ticket, actor: User) -> bool:
    """Link the ticket to the idea; True if the link is new, False if it existed.

    Repeated and concurrent calls store one link: the unique (idea, ticket) index
    decides. A merged idea takes no links — its demand lives on in its target.
    """
    if idea.status == IdeaStatus.MERGED:
        raise ValidationError(
            _("This idea was merged into another; link the ticket to that one."),
            code="merged",
        )
    try:
        # A savepoint, so that losing the race leaves the outer transaction usable.
        with transaction.atomic():
            IdeaTicket.objects.create(idea=idea, ticket=ticket, linked_by=actor)
    except IntegrityError:
        return False
    # A ticket's account is evidence of demand (the triage figures, product risk).
    extensions.demand_changed()
    return True


def idea_ticket_unlink(*, idea: Idea, ticket: Ticket, actor: User | None = None) -> bool:
    """Remove the link; True if there was one. Repeating it is harmless."""
    deleted, _rows = IdeaTicket.objects.filter(idea=idea, ticket=ticket).delete()
    if deleted:
        extensions.demand_changed()
    return bool(deleted)
