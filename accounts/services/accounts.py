"""Writes on accounts with their business rules: CSM notes and personal-data requests."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Account, Contact, Note, SurveyResponse, UsageEvent, User
from accounts.services.access import portal_access_end

NOTE_MAX_LENGTH = 5000


@transaction.atomic
def note_create(*, account: Account, author: User, body: str) -> Note:
    """Add a note to an account's timeline.

    The rules live here, not only in the form, so the API or a script cannot store an
    empty or oversized note either.
    """
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write something before saving the note.")})
    if len(body) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {
                "body": _("A note can be at most %(limit)d characters long.")
                % {"limit": NOTE_MAX_LENGTH}
            }
        )
    return Note.objects.create(account=account, author=author, body=body)


def contact_export(*, contact: Contact) -> dict[str, Any]:
    """A contact's personal data as plain JSON-ready data (a data-subject access request).

    Usage events are counted, not listed: they are product telemetry about the account,
    potentially millions of rows, and the count is what tells the person we hold them.
    """
    responses = SurveyResponse.objects.filter(contact=contact).order_by("responded_at", "pk")
    return {
        "contact": {
            "id": contact.pk,
            "name": contact.name,
            "email": contact.email,
            "title": contact.title,
            "is_champion": contact.is_champion,
            "created_at": contact.created_at.isoformat(),
        },
        "account": {"id": contact.account_id, "name": contact.account.name},
        "survey_responses": [
            {
                "external_id": response.external_id,
                "kind": response.kind,
                "score": response.score,
                "comment": response.comment,
                "responded_at": response.responded_at.isoformat(),
            }
            for response in responses
        ],
        "usage_event_count": UsageEvent.objects.filter(contact=contact).count(),
    }


@transaction.atomic
def contact_erase(*, contact: Contact, actor: User) -> None:
    """Erase a contact's personal data while keeping the account's history truthful.

    The contact row stays (so counts and foreign keys stay valid) but loses its name,
    e-mail and title. Usage events are kept as anonymous usage: they drive health scores
    and rollups, which must not change because a person asked to be forgotten. Survey
    scores are kept for the account's NPS; their free-text comments may name the person,
    so they are blanked. The portal user linked to the contact is deactivated and
    scrubbed, open invitations revoked and sessions ended. One audit note records who
    erased whom. All of it commits together or not at all.
    """
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    contact.name = _("Erased contact #%(id)d") % {"id": contact.pk}
    contact.email = ""
    contact.title = ""
    contact.is_champion = False
    contact.save(update_fields=["name", "email", "title", "is_champion"])
    UsageEvent.objects.filter(contact=contact).update(contact=None)
    SurveyResponse.objects.filter(contact=contact).update(contact=None, comment="")
    # Their way in goes with their data: portal user, invitations, sessions.
    portal_access_end(contact=contact)
    Note.objects.create(
        account_id=contact.account_id,
        author=actor,
        body=_("Personal data of contact #%(id)d erased by %(actor)s")
        % {"id": contact.pk, "actor": actor},
    )
