"""Where an onboarding stands today, milestone by milestone: pure date math, no ORM.

The dashboard and the Customer 360 timeline both show each milestone as reached, overdue,
due soon or pending against its own target day (start + offset), and each onboarding's
days left to its target; keeping the rules here makes them the same on both pages and
testable without a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

REACHED = "reached"
OVERDUE = "overdue"
DUE = "due"
PENDING = "pending"

#: A milestone whose target day is this close (or today) is "due": worth a nudge now.
DUE_SOON_DAYS = 7

#: Status -> badge colour of the design system (see app.css).
STATUS_BADGES = {
    "not_started": "badge-grey",
    "on_track": "badge-blue",
    "at_risk": "badge-yellow",
    "late": "badge-red",
    "achieved": "badge-green",
    "achieved_late": "badge-accent",
}
ACHIEVED_STATUSES = frozenset({"achieved", "achieved_late"})


@dataclass(frozen=True)
class MilestoneState:
    state: str  # REACHED | OVERDUE | DUE | PENDING
    target_on: date | None
    achieved_on: date | None
    #: Reached after its target day.
    reached_late: bool
    #: Days past the target day (overdue) or until it (due, pending); 0 when reached.
    days: int


def target_day(started_on: date | None, offset_days: int) -> date | None:
    """The day a milestone is due: start + its offset; unknown without a start."""
    return started_on + timedelta(days=offset_days) if started_on else None


def milestone_state(
    *, started_on: date | None, offset_days: int, achieved_on: date | None, today: date
) -> MilestoneState:
    """Reached (with its date), overdue, due within DUE_SOON_DAYS, or pending."""
    target_on = target_day(started_on, offset_days)
    if achieved_on is not None:
        late = target_on is not None and achieved_on > target_on
        return MilestoneState(REACHED, target_on, achieved_on, late, 0)
    if target_on is None:
        return MilestoneState(PENDING, None, None, False, 0)
    left = (target_on - today).days
    if left < 0:
        return MilestoneState(OVERDUE, target_on, None, False, -left)
    state = DUE if left <= DUE_SOON_DAYS else PENDING
    return MilestoneState(state, target_on, None, False, left)


def days_left(*, started_on: date | None, target_days: int, today: date) -> int | None:
    """Days until the onboarding's target (negative: days late); None without a start."""
    if started_on is None:
        return None
    return (started_on + timedelta(days=target_days) - today).days


def days_left_label(days: int | None) -> str:
    if days is None:
        return _("No start date")
    if days == 0:
        return _("Target is today")
    if days > 0:
        return ngettext("%(n)d day left", "%(n)d days left", days) % {"n": days}
    return ngettext("%(n)d day late", "%(n)d days late", -days) % {"n": -days}


def rule_summary(*, rule: str, event: str, min_events: int | None, min_contacts: int | None) -> str:
    """A milestone's completion rule in one line, e.g. "Rule: report.shared at least 8
    times by at least 3 people"."""
    if rule != "usage":
        return _("Rule: checked off by hand")
    n = min_events or 1
    if min_contacts:
        return ngettext(
            "Rule: %(event)s at least %(n)d time by at least %(k)d people",
            "Rule: %(event)s at least %(n)d times by at least %(k)d people",
            n,
        ) % {"event": event, "n": n, "k": min_contacts}
    return ngettext(
        "Rule: %(event)s at least %(n)d time", "Rule: %(event)s at least %(n)d times", n
    ) % {"event": event, "n": n}
