"""Writes of the widget for one person: what they have read, the nudge of the day and
its dismissal, and the interactions recorded as usage of their account."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ingest.models import ImportJob
from ingest.services.imports import import_tracking_batch
from roadmap.selectors import changelog_items
from ttfv.models import Milestone, Onboarding
from ttfv.selectors import account_onboarding
from ttfv.selectors.guidance import (
    ENTRY_READ,
    MILESTONE_CLICKED,
    NUDGE_CLICKED,
    NUDGE_DISMISSED,
    NUDGE_SHOWN,
    WIDGET_EVENTS,
)
from widget.models import NudgeDismissal, WidgetPerson
from widget.selectors import milestone_of_account
from widget.services.session import WidgetSession, widget_session_may_write
from widget.services.setup import widget_write_key

#: Events that name a milestone of the account (``properties["milestone"]``).
MILESTONE_EVENTS = frozenset({MILESTONE_CLICKED, NUDGE_SHOWN, NUDGE_DISMISSED, NUDGE_CLICKED})
MAX_EVENTS = 50
#: A client-made event id: a UUID or anything alike, never text a person typed.
EVENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
#: Onboardings that get a nudge: behind their target, or with a step overdue.
NUDGE_STATUSES = frozenset({Onboarding.Status.AT_RISK, Onboarding.Status.LATE})
#: A step's state past its target day (``TimelineStep.state``, ttfv's progress module).
OVERDUE = "overdue"


def _person(session: WidgetSession) -> WidgetPerson:
    person, _created = WidgetPerson.objects.get_or_create(contact=session.contact)
    return person


# --- What's new ----------------------------------------------------------------------


@transaction.atomic
def entries_mark_read(*, session: WidgetSession) -> None:
    """The person has looked at "What's new": every entry shipped so far is read."""
    widget_session_may_write(session=session)
    newest = changelog_items().values("pk", "shipped_on").first()
    if newest is None:
        return
    _person(session)
    WidgetPerson.objects.filter(contact=session.contact).update(
        read_shipped_on=newest["shipped_on"], read_item_id=newest["pk"]
    )


# --- The nudge -----------------------------------------------------------------------


@dataclass(frozen=True)
class Nudge:
    milestone_id: int
    title: str
    text: str
    url: str


def _nudge_text(milestone: Milestone, language: str) -> str:
    """The vendor's sentence in the reader's language, else its own; without one, ours."""
    translations = milestone.nudge_translations or {}
    for code in (language, language.split("-")[0]):
        text = translations.get(code) if isinstance(translations, dict) else None
        if isinstance(text, str) and text.strip():
            return text.strip()
    if milestone.nudge_text:
        return milestone.nudge_text
    with translation.override(language):
        return _("Your next step: %(step)s") % {"step": milestone.name}


def _next_step(session: WidgetSession, today: date) -> Milestone | None:
    """The first milestone not reached, when the onboarding is at risk, late, or that
    step is overdue ("stuck"); None for a healthy or finished onboarding."""
    onboarding = account_onboarding(account=session.account, today=today)
    if onboarding.onboarding is None or onboarding.is_achieved:
        return None
    step = next((step for step in onboarding.steps if step.reached is None), None)
    if step is None:
        return None
    if NudgeDismissal.objects.filter(contact=session.contact, milestone=step.milestone).exists():
        return None
    if onboarding.onboarding.status in NUDGE_STATUSES or step.state.state == OVERDUE:
        return step.milestone
    return None


def nudge_take(*, session: WidgetSession, language: str, today: date) -> Nudge | None:
    """Today's nudge for the person, or None. At most one a day: the day is claimed by
    a conditional update, so two tabs opening at once show it once between them; a
    day without a reason to nudge is not spent. A preview shows the nudge the person
    would get without claiming their day (nor anything else)."""
    step = _next_step(session, today)
    if step is None:
        return None
    if session.preview:
        nudged_today = WidgetPerson.objects.filter(contact=session.contact, nudged_on=today)
        if nudged_today.exists():
            return None
    else:
        _person(session)
        claimed = (
            WidgetPerson.objects.filter(contact=session.contact)
            .filter(Q(nudged_on__isnull=True) | ~Q(nudged_on=today))
            .update(nudged_on=today)
        )
        if not claimed:
            return None
    return Nudge(
        milestone_id=step.pk,
        title=step.name,
        text=_nudge_text(step, language),
        url=step.help_url,
    )


def nudge_dismiss(*, session: WidgetSession, milestone_id: object) -> None:
    """The person closed the nudge of this milestone: never show it to them again."""
    widget_session_may_write(session=session)
    milestone = milestone_of_account(account=session.account, milestone_id=milestone_id)
    if milestone is None:
        raise ValidationError({"milestone": [_("This is not a step of your onboarding.")]})
    NudgeDismissal.objects.bulk_create(
        [NudgeDismissal(contact=session.contact, milestone=milestone)], ignore_conflicts=True
    )


# --- Interactions as usage -----------------------------------------------------------


@dataclass(frozen=True)
class EventsRecorded:
    inserted: int
    duplicates: int


def _record(session: WidgetSession, raw: Any, index: int, now: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ValidationError({"events": [_("Event %(n)s is not an object.") % {"n": index}]})
    name, event_id = raw.get("name"), raw.get("id")
    if name not in WIDGET_EVENTS:
        raise ValidationError(
            {"events": [_("Event %(n)s is not one the widget records.") % {"n": index}]}
        )
    if not isinstance(event_id, str) or not EVENT_ID.match(event_id):
        raise ValidationError({"events": [_("Event %(n)s has no valid id.") % {"n": index}]})
    properties: dict[str, Any] = {}
    if name in MILESTONE_EVENTS:
        milestone = milestone_of_account(account=session.account, milestone_id=raw.get("milestone"))
        if milestone is None:
            raise ValidationError(
                {"events": [_("Event %(n)s names no step of your onboarding.") % {"n": index}]}
            )
        properties["milestone"] = milestone.pk
    elif name == ENTRY_READ:
        entry = raw.get("entry")
        if not isinstance(entry, int) or not changelog_items().filter(pk=entry).exists():
            raise ValidationError(
                {"events": [_("Event %(n)s names no changelog entry.") % {"n": index}]}
            )
        properties["entry"] = entry
    return {
        "account_external_id": session.account.external_id,
        "event": name,
        "occurred_at": now,
        "contact_email": session.contact.email,
        "user_id": "",
        # Scoped to the person: the same client id from two people is two events, and
        # no id a browser makes can collide with another source's message ids.
        "message_id": f"widget:{session.contact.pk}:{event_id}",
        "properties": properties,
    }


def widget_events_record(*, session: WidgetSession, events: Any) -> EventsRecorded:
    """Record the widget's interactions as usage events of the person's account,
    through the tracking door with the widget's write key; an event sent twice (a
    retry after a lost answer) lands once. Raises ValidationError for a batch with an
    event the widget does not send: nothing of it is recorded."""
    widget_session_may_write(session=session)
    if not isinstance(events, list) or not 1 <= len(events) <= MAX_EVENTS:
        raise ValidationError(
            {"events": [_("Send between 1 and %(max)s events.") % {"max": MAX_EVENTS}]}
        )
    now = timezone.now().isoformat()
    records = [_record(session, raw, index, now) for index, raw in enumerate(events, start=1)]
    key = widget_write_key()
    if not key.is_active:
        raise ValidationError(_("The widget's write key is turned off; nothing was recorded."))
    batch, _job = import_tracking_batch(write_key=key, records=records)
    if batch.status != ImportJob.Status.SUCCEEDED and batch.rows_inserted == 0:
        raise ValidationError(batch.message or _("The events could not be recorded."))
    return EventsRecorded(inserted=batch.rows_inserted, duplicates=batch.rows_duplicate)
