"""What the widget shows one person: their account's checklist and the changelog with
what they have not read. Everything here is scoped to the session's account and
contact; nothing of another account can be named by an argument."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from accounts.models import Account, Contact
from roadmap.models import RoadmapItem
from roadmap.selectors import changelog_items
from ttfv.models import Milestone, Onboarding
from ttfv.selectors import account_onboarding
from widget.models import WidgetPerson, WidgetSettings

#: Entries the "What's new" tab lists: the newest; the changelog page has them all.
ENTRIES_SHOWN = 20


@dataclass(frozen=True)
class ChecklistStep:
    milestone_id: int
    title: str
    how_to: str
    url: str
    done: bool


@dataclass(frozen=True)
class Checklist:
    #: False after first value when the installation hides it then, or with no steps.
    visible: bool
    steps: list[ChecklistStep]

    @property
    def done(self) -> int:
        return sum(step.done for step in self.steps)

    @property
    def total(self) -> int:
        return len(self.steps)


def checklist(*, account: Account, widget: WidgetSettings, today: date) -> Checklist:
    """The account's onboarding milestones, from its template, each done or not."""
    onboarding = account_onboarding(account=account, today=today)
    steps = [
        ChecklistStep(
            milestone_id=step.milestone.pk,
            title=step.milestone.name,
            how_to=step.milestone.how_to,
            url=step.milestone.help_url,
            done=step.reached is not None,
        )
        for step in onboarding.steps
    ]
    hidden = onboarding.is_achieved and widget.hide_checklist_after_first_value
    return Checklist(visible=bool(steps) and widget.show_checklist and not hidden, steps=steps)


def milestone_of_account(*, account: Account, milestone_id: object) -> Milestone | None:
    """A milestone of the template the account's onboarding follows, else None: an id
    from the browser never reaches another template's milestone."""
    try:
        pk = int(str(milestone_id))
    except ValueError:
        return None
    return Milestone.objects.filter(
        pk=pk,
        template_id__in=Onboarding.objects.filter(account=account).values("template_id"),
    ).first()


@dataclass(frozen=True)
class Entry:
    id: int
    title: str
    description_html: str
    shipped_on: date
    url: str
    unread: bool


@dataclass(frozen=True)
class WhatsNew:
    entries: list[Entry]
    unread: int


def _read_marker(contact: Contact) -> tuple[date | None, int | None]:
    row = WidgetPerson.objects.filter(contact=contact).values_list(
        "read_shipped_on", "read_item_id"
    )
    first = row.first()
    return first if first is not None else (None, None)


def _newer_than(shipped_on: date | None, item_id: int | None) -> Q:
    """Changelog entries after (day, id) in the changelog's order; all without a mark."""
    if shipped_on is None or item_id is None:
        return Q()
    return Q(shipped_on__gt=shipped_on) | Q(shipped_on=shipped_on, pk__gt=item_id)


def unread_count(*, contact: Contact) -> int:
    shipped_on, item_id = _read_marker(contact)
    return changelog_items().filter(_newer_than(shipped_on, item_id)).count()


def _entry_url(item: RoadmapItem) -> str:
    # Lasting links: the changelog entry's own page, by id, on this installation.
    path = reverse("roadmap:changelog_entry", kwargs={"pk": item.pk})
    return settings.SITE_URL.rstrip("/") + path


def whats_new(*, contact: Contact) -> WhatsNew:
    shipped_on, item_id = _read_marker(contact)
    items = list(changelog_items()[:ENTRIES_SHOWN])
    unread_ids = set(
        changelog_items().filter(_newer_than(shipped_on, item_id)).values_list("pk", flat=True)
    )
    entries = [
        Entry(
            id=item.pk,
            title=item.title,
            description_html=item.description_html,
            shipped_on=item.shipped_on or date.min,
            url=_entry_url(item),
            unread=item.pk in unread_ids,
        )
        for item in items
    ]
    return WhatsNew(entries=entries, unread=len(unread_ids))
