"""Roadmap demo data: items in the three columns, linked to the feedback demo's ideas.

Shipped items carry the date their ideas shipped (so the changelog spans the last
months), in-progress items the current quarter, planned items the next ones; one planned
item is a draft only product managers see. Run after ``demo.services.board``; items whose
ideas are missing are still created, without links. Running it again replaces the demo's
items (matched by title).

Rows are written directly with ``render_markdown``: the roadmap's write services (and
the notifications of a shipped item) belong to the roadmap editor; a demo's history is
not news to anyone.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.markdown import render_markdown
from core.roles import Role
from feedback.models import Idea, IdeaStatus, StatusChange
from roadmap.models import Column, RoadmapItem


@dataclass(frozen=True)
class DemoItem:
    title: str
    column: str
    description: str
    ideas: tuple[str, ...]
    is_public: bool = True


ITEMS = [
    DemoItem(
        "Scheduled exports", Column.SHIPPED,
        "Schedule any saved report by e-mail, to **S3** or to **SFTP**, daily, weekly or "
        "monthly.",
        ("Scheduled report exports to e-mail, S3 and SFTP",),
    ),
    DemoItem(
        "Health alerts in Slack", Column.SHIPPED,
        "A message in the channel you choose when an account changes band, with the reasons.",
        ("Slack alerts when a health score drops",),
    ),
    DemoItem(
        "Bulk edit in the portfolio", Column.SHIPPED,
        "Select accounts and change their owner, segment or stage at once.",
        ("Bulk edit accounts from the portfolio table",),
    ),
    DemoItem(
        "Zendesk ticket sync", Column.SHIPPED,
        "Tickets and priorities from Zendesk, every hour; ticket volume counts in health.",
        ("Zendesk ticket sync",),
    ),
    DemoItem(
        "CSV export everywhere", Column.SHIPPED,
        "Every table exports to CSV with its filters applied.",
        ("Export any table to CSV",),
    ),
    DemoItem(
        "Single sign-on (SAML)", Column.IN_PROGRESS,
        "Okta and Azure AD, with just-in-time provisioning and enforced SSO.",
        ("SAML single sign-on with Okta and Azure AD", "SCIM user provisioning"),
    ),
    DemoItem(
        "Audit log export", Column.IN_PROGRESS,
        "Who changed what and when, as CSV or streamed to your SIEM.",
        ("Audit log export for compliance reviews",),
    ),
    DemoItem(
        "Weekly digest e-mail", Column.IN_PROGRESS,
        "Band changes, upcoming renewals and new tickets of your accounts, every Monday.",
        ("Weekly e-mail digest of account changes",),
    ),
    DemoItem(
        "Two-way Salesforce sync", Column.PLANNED,
        "Accounts, contacts and owners both ways, within minutes.",
        ("Two-way Salesforce sync for accounts and contacts",),
    ),
    DemoItem(
        "Custom roles", Column.PLANNED,
        "Roles built from permissions: read-only executives, support without revenue data.",
        ("Custom roles and permissions",),
    ),
    DemoItem(
        "Webhooks", Column.PLANNED,
        "Signed calls to your endpoint when health bands or idea statuses change.",
        ("Webhooks for idea and health events",),
    ),
    DemoItem(
        "Usage every 15 minutes", Column.PLANNED,
        "Dashboards and health follow usage within the quarter hour instead of overnight.",
        ("Real-time dashboard refresh instead of nightly",),
    ),
    DemoItem(
        "Custom fields (draft)", Column.PLANNED,
        "Account fields of your own, usable in filters and reports. *Still being scoped.*",
        ("Custom fields on accounts",),
        is_public=False,
    ),
]  # fmt: skip
TITLES = [item.title for item in ITEMS]


@dataclass(frozen=True)
class RoadmapDemoSummary:
    planned: int
    in_progress: int
    shipped: int

    @property
    def items(self) -> int:
        return self.planned + self.in_progress + self.shipped


def quarter_of(day: date, ahead: int = 0) -> str:
    """``YYYY-Qn`` of ``day``, or of the quarter ``ahead`` quarters later."""
    index = day.year * 4 + (day.month - 1) // 3 + ahead
    return f"{index // 4}-Q{index % 4 + 1}"


def _shipped_on(ideas: list[Idea]) -> date | None:
    """When the item's ideas shipped: the latest of their moves to shipped."""
    moved = (
        StatusChange.objects.filter(idea__in=ideas, to_status=IdeaStatus.SHIPPED)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return moved.date() if moved else None


@transaction.atomic
def seed_roadmap_demo(*, seed: int = 42, today: date | None = None) -> RoadmapDemoSummary:
    rng = random.Random(seed)
    today = today or timezone.localdate()
    RoadmapItem.objects.filter(title__in=TITLES).delete()
    pm = User.objects.filter(role=Role.PM).order_by("pk").first()
    wanted = {title for item in ITEMS for title in item.ideas}
    ideas = {idea.title: idea for idea in Idea.objects.on_board().filter(title__in=wanted)}
    positions: dict[str, int] = {}
    for item in ITEMS:
        linked = [ideas[title] for title in item.ideas if title in ideas]
        position = positions[item.column] = positions.get(item.column, -1) + 1
        shipped_on = None
        quarter = ""
        if item.column == Column.SHIPPED:
            # Without the feedback demo's history, spread ship dates over recent months.
            shipped_on = _shipped_on(linked) or today - timedelta(days=rng.randint(10, 150))
            quarter = quarter_of(shipped_on)
        elif item.column == Column.IN_PROGRESS:
            quarter = quarter_of(today)
        else:
            quarter = quarter_of(today, ahead=1 + position // 2)
        row = RoadmapItem.objects.create(
            title=item.title,
            description=item.description,
            description_html=render_markdown(item.description),
            column=item.column,
            position=position,
            target_quarter=quarter,
            is_public=item.is_public,
            shipped_on=shipped_on,
            created_by=pm,
        )
        row.ideas.set(linked)
    # The changelog lists the newest first: order the shipped column the same way.
    shipped = RoadmapItem.objects.filter(title__in=TITLES, column=Column.SHIPPED)
    for position, item in enumerate(shipped.order_by("-shipped_on", "pk")):
        RoadmapItem.objects.filter(pk=item.pk).update(position=position)
    return RoadmapDemoSummary(
        planned=sum(item.column == Column.PLANNED for item in ITEMS),
        in_progress=sum(item.column == Column.IN_PROGRESS for item in ITEMS),
        shipped=sum(item.column == Column.SHIPPED for item in ITEMS),
    )
