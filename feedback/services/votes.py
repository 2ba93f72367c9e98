"""Votes, counted exactly: the vote row and the idea's counter change in one transaction.

A customer votes as themself (:func:`vote_cast`); the vendor's team adds a vote for a
contact heard on a call or in a ticket (:func:`vote_on_behalf`). Who may do which, and
who may take a vote back, is decided here (``feedback.policies``), for the pages and
the API alike.
"""

from __future__ import annotations

from typing import cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Contact, User
from feedback import extensions, policies, trending
from feedback.models import Idea, Vote
from feedback.services.errors import IdeaMerged, VoteClosed
from feedback.services.follows import follow_with
from feedback.statuses import VOTABLE_STATUSES, IdeaStatus


def _ensure_votable(idea: Idea) -> None:
    if idea.status == IdeaStatus.MERGED:
        raise IdeaMerged(idea_id=idea.pk, target_id=idea.merged_into_id)
    if idea.status not in VOTABLE_STATUSES:
        raise VoteClosed(
            _("Voting is closed: this idea is %(status)s.")
            % {"status": idea.get_status_display().lower()},
            code="vote_closed",
        )


def vote_cast(
    *,
    idea: Idea,
    actor: User,
    contact_id: int | str | None = None,
    note: str = "",
    follow: bool = True,
) -> bool:
    """A customer's own vote; True if it is new, False if they had voted already.

    ``contact_id``, when a caller names one, must be the customer's own: a vote for
    anyone else is the team's (:func:`vote_on_behalf`). Raises PermissionDenied for
    anyone who is not a customer with a contact or who names someone else, and
    ValidationError for a note (only the team annotates votes).
    """
    if not policies.may_vote_for_themself(actor):
        raise PermissionDenied(_("Only customers vote for themselves; add a vote for a contact."))
    if contact_id not in (None, "") and str(contact_id) != str(actor.contact_id):
        raise PermissionDenied(_("Only your team can vote on behalf of someone else."))
    if note.strip():
        raise ValidationError({"note": [_("Only your team adds notes to votes.")]})
    # may_vote_for_themself made sure the customer has a contact.
    contact = cast(Contact, actor.contact)
    return _vote(idea=idea, contact=contact, user=actor, follow=follow)


def vote_on_behalf(*, idea: Idea, contact: Contact | None, actor: User, note: str = "") -> bool:
    """A vote the vendor's team adds for ``contact``, with a note on where it was heard.
    True if it is new; a contact who had voted keeps their one vote (False). Raises
    PermissionDenied for anyone but the team, ValidationError without a contact."""
    if not policies.may_vote_on_behalf(actor):
        raise PermissionDenied(_("Only your team can vote on behalf of someone else."))
    if contact is None:
        raise ValidationError({"contact": [_("Name the person who asked.")]})
    return _vote(idea=idea, contact=contact, added_by=actor, note=note, follow=False)


@transaction.atomic
def _vote(
    *,
    idea: Idea,
    contact: Contact,
    user: User | None = None,
    added_by: User | None = None,
    note: str = "",
    follow: bool,
) -> bool:
    """Record the contact's vote. Repeated and concurrent calls for one person store one
    vote: the unique (idea, contact) index decides, and the loser of a race sees False.
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
        follow_with(idea=idea, user=user)
    return True


@transaction.atomic
def vote_withdraw(*, idea: Idea, actor: User, contact: Contact | None = None) -> bool:
    """Take a vote back; True if there was one. Repeating it is harmless.

    A customer withdraws their own vote. The team withdraws a vote they added, naming
    the contact; a vote the customer cast themself is theirs alone to withdraw.
    """
    _ensure_votable(idea)
    if policies.may_vote_for_themself(actor):
        contact = actor.contact
    elif not policies.may_vote_on_behalf(actor):
        raise PermissionDenied(_("Only customers and your team vote."))
    elif contact is None:
        raise ValidationError({"contact": [_("Name the person whose vote to withdraw.")]})
    elif Vote.objects.filter(idea=idea, contact=contact, added_by__isnull=True).exists():
        raise PermissionDenied(_("This person voted themself; only they can withdraw it."))
    deleted, _rows = Vote.objects.filter(idea=idea, contact=contact).delete()
    if deleted:
        Idea.objects.filter(pk=idea.pk).update(vote_count=F("vote_count") - 1)
        extensions.demand_changed()
    return bool(deleted)
