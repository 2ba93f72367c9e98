"""Votes, counted exactly: the vote row and the idea's counter change in one transaction."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Contact
from feedback import extensions, trending
from feedback.models import Idea, Vote
from feedback.services.follows import follow_set
from feedback.statuses import VOTABLE_STATUSES


class VoteClosed(ValidationError):
    """The idea no longer takes votes (shipped, declined or merged)."""


def _ensure_votable(idea: Idea) -> None:
    if idea.status not in VOTABLE_STATUSES:
        raise VoteClosed(
            _("Voting is closed: this idea is %(status)s.")
            % {"status": idea.get_status_display().lower()},
            code="vote_closed",
        )


@transaction.atomic
def vote_cast(
    *, idea: Idea, contact: Contact, user=None, added_by=None, note: str = "", follow: bool = True
) -> bool:
    """Record the contact's vote; True if it is new, False if they had voted already.

    ``user`` is the customer clicking for themself; ``added_by`` the CSM adding the vote
    on the contact's behalf. Repeated and concurrent calls for one person store one vote:
    the unique (idea, contact) index decides, and the loser of a race sees False.
    """
    _ensure_votable(idea)
    try:
        # A savepoint, so that losing the race leaves the outer transaction usable.
        with transaction.atomic():
            Vote.objects.create(
                idea=idea,
                contact=contact,
                account_id=contact.account_id,
                user=user,
                added_by=added_by,
                note=note.strip(),
            )
    except IntegrityError:
        return False
    # The counter moves only while the idea still takes votes: ``idea`` may be stale
    # (merged or shipped since it was read), and the row's status is the truth.
    counted = Idea.objects.filter(pk=idea.pk, status__in=VOTABLE_STATUSES).update(
        vote_count=F("vote_count") + 1,
        trend_score=trending.trend_update(timezone.now(), trending.WEIGHT_VOTE),
    )
    if not counted:
        idea.refresh_from_db(fields=["status"])
        _ensure_votable(idea)  # raises, rolling the vote back with the transaction
    extensions.demand_changed()
    if follow and user is not None:
        follow_set(idea=idea, user=user)
    return True


@transaction.atomic
def vote_withdraw(*, idea: Idea, contact: Contact) -> bool:
    """Remove the contact's vote; True if there was one. Repeating it is harmless."""
    _ensure_votable(idea)
    deleted, _rows = Vote.objects.filter(idea=idea, contact=contact).delete()
    if deleted:
        Idea.objects.filter(pk=idea.pk).update(vote_count=F("vote_count") - 1)
        extensions.demand_changed()
    return bool(deleted)
