"""The rules a milestone template must follow, as plain data in and plain data out.

The editor form and the save service (and, later, the API) all call
:func:`template_problems`, so a template is judged the same way wherever it comes from.
No ORM here: the caller passes the event names that exist in the usage data.

Manual milestones never carry usage fields: :func:`milestone_normalised` clears the
event, N and K of a manual rule instead of rejecting them, because switching a row from
"usage" to "manual" in the editor would otherwise leave the admin to empty three fields
by hand for no benefit.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MANUAL = "manual"
USAGE = "usage"
RULES = (MANUAL, USAGE)

MIN_TARGET_DAYS, MAX_TARGET_DAYS = 1, 730
MIN_AT_RISK_PERCENT, MAX_AT_RISK_PERCENT = 1, 100
#: How many known event names an "unknown event" message lists, closest first.
SUGGESTIONS_SHOWN = 8


@dataclass(frozen=True)
class MilestoneDraft:
    """One milestone as submitted; ``id`` is the stored milestone it edits, if any."""

    name: str
    target_offset_days: int
    rule: str
    event: str = ""
    min_events: int | None = None
    min_contacts: int | None = None
    is_first_value: bool = False
    id: int | None = None
    how_to: str = ""
    help_url: str = ""
    nudge_text: str = ""
    #: The nudge in other languages as (language code, text) pairs; empty texts are
    #: dropped by :func:`milestone_normalised`, so the widget falls back to ``nudge_text``.
    nudge_translations: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class TemplateDraft:
    """A whole template as submitted, milestones in their order."""

    name: str
    target_days: int
    at_risk_percent: int
    milestones: tuple[MilestoneDraft, ...]
    plan: str = ""
    segment: str = ""


@dataclass
class Problems:
    """What is wrong, placed where a form or an API response shows it.

    ``template``: field name (or ``"__all__"``) -> messages; ``milestones``: index in the
    draft's milestone order -> field name (or ``"__all__"``) -> messages;
    ``milestone_list``: problems of the list as a whole (first value).
    """

    template: dict[str, list[str]] = field(default_factory=dict)
    milestones: dict[int, dict[str, list[str]]] = field(default_factory=dict)
    milestone_list: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.template or self.milestones or self.milestone_list)

    def add(self, field_name: str, message: str) -> None:
        self.template.setdefault(field_name, []).append(message)

    def add_row(self, index: int, field_name: str, message: str) -> None:
        self.milestones.setdefault(index, {}).setdefault(field_name, []).append(message)

    def as_dict(self) -> dict:
        """JSON-ready, e.g. for an API error body."""
        return {
            "template": self.template,
            "milestones": {str(index): errors for index, errors in self.milestones.items()},
            "milestone_list": self.milestone_list,
        }


def milestone_normalised(milestone: MilestoneDraft) -> MilestoneDraft:
    """Trim text; a manual rule drops the usage fields (see the module docstring)."""
    milestone = replace(
        milestone,
        name=milestone.name.strip(),
        event=milestone.event.strip(),
        how_to=milestone.how_to.strip(),
        help_url=milestone.help_url.strip(),
        nudge_text=milestone.nudge_text.strip(),
        nudge_translations=tuple(
            sorted(
                (code, text.strip()) for code, text in milestone.nudge_translations if text.strip()
            )
        ),
    )
    if milestone.rule == MANUAL:
        return replace(milestone, event="", min_events=None, min_contacts=None)
    return milestone


def unknown_event_message(event: str, known_events: Collection[str]) -> str:
    """Name the typo and list the real events, the closest matches first."""
    if not known_events:
        return _(
            "No usage event has been imported yet, so a rule on “%(event)s” could never "
            "match. Import usage first, or make this milestone a manual check-off."
        ) % {"event": event}
    ordered = event_suggestions(event, known_events)
    shown = ordered[:SUGGESTIONS_SHOWN]
    message = _("Unknown event “%(event)s”. Known events: %(events)s.") % {
        "event": event,
        "events": ", ".join(shown),
    }
    more = len(ordered) - len(shown)
    if more:
        message += " " + ngettext(
            "(and %(count)d more in the list of known events)",
            "(and %(count)d more in the list of known events)",
            more,
        ) % {"count": more}
    return message


def event_suggestions(event: str, known_events: Collection[str]) -> list[str]:
    """Every known event, those that look like ``event`` first (best match first), then
    the others alphabetically. Case is ignored for the likeness only."""
    by_lower: dict[str, list[str]] = {}
    for name in sorted(known_events):
        by_lower.setdefault(name.lower(), []).append(name)
    close = difflib.get_close_matches(event.lower(), list(by_lower), n=len(by_lower), cutoff=0.6)
    first = [name for lowered in close for name in by_lower[lowered]]
    return first + [name for name in sorted(known_events) if name not in first]


def _milestone_problems(
    index: int, milestone: MilestoneDraft, known_events: Collection[str], problems: Problems
) -> None:
    if not milestone.name:
        problems.add_row(index, "name", _("Give the milestone a name."))
    if milestone.target_offset_days < 0:
        problems.add_row(
            index, "target_offset_days", _("The target day cannot be before the start (day 0).")
        )
    if milestone.rule not in RULES:
        problems.add_row(index, "rule", _("Choose a manual check-off or a usage rule."))
        return
    if milestone.rule != USAGE:
        return
    if not milestone.event:
        problems.add_row(index, "event", _("A usage rule needs the event to look for."))
    elif milestone.event not in known_events:
        problems.add_row(index, "event", unknown_event_message(milestone.event, known_events))
    n, k = milestone.min_events, milestone.min_contacts
    if n is None or n < 1:
        problems.add_row(
            index, "min_events", _("A usage rule needs N (at least how many events) of 1 or more.")
        )
    if k is not None and k < 1:
        problems.add_row(
            index,
            "min_contacts",
            _("K (distinct people) must be 1 or more; leave it empty to count anyone."),
        )
    elif k is not None and n is not None and n >= 1 and k > n:
        problems.add_row(
            index,
            "min_contacts",
            _("K people (%(k)d) cannot exceed N events (%(n)d): each person counts one event.")
            % {"k": k, "n": n},
        )


def _order_problems(milestones: Sequence[MilestoneDraft], problems: Problems) -> None:
    """Target days never go down along the order; the error sits on the later row."""
    for index in range(1, len(milestones)):
        before, this = milestones[index - 1], milestones[index]
        if this.target_offset_days < before.target_offset_days:
            problems.add_row(
                index,
                "target_offset_days",
                _(
                    "%(this)s is due on day %(this_day)d, earlier than %(before)s on day "
                    "%(before_day)d before it. Raise its target day or move it up."
                )
                % {
                    "this": this.name or _("This milestone"),
                    "this_day": this.target_offset_days,
                    "before": before.name or _("the milestone"),
                    "before_day": before.target_offset_days,
                },
            )


def _first_value_problems(milestones: Sequence[MilestoneDraft], problems: Problems) -> None:
    marked = [m for m in milestones if m.is_first_value]
    if not milestones:
        problems.milestone_list.append(
            _("Add at least one milestone, and mark the one that is the first value.")
        )
    elif not marked:
        problems.milestone_list.append(
            _("Mark one milestone as the first value: the moment the customer gets value.")
        )
    elif len(marked) > 1:
        problems.milestone_list.append(
            _("Only one milestone can be the first value; %(names)s are all marked.")
            % {"names": ", ".join(m.name or "?" for m in marked)}
        )


def _template_field_problems(draft: TemplateDraft, *, is_default: bool, problems: Problems) -> None:
    if not draft.name.strip():
        problems.add("name", _("Give the template a name."))
    if is_default and (draft.plan or draft.segment):
        problems.add(
            "__all__",
            _("The default template applies to every account without a plan or segment "
              "template; it cannot be given a plan or a segment."),
        )  # fmt: skip
    elif not is_default and bool(draft.plan) == bool(draft.segment):
        problems.add(
            "__all__",
            _("Choose a plan or a segment, not both.")
            if draft.plan
            else _("Choose the plan or the segment this template is for."),
        )
    if not MIN_TARGET_DAYS <= draft.target_days <= MAX_TARGET_DAYS:
        problems.add(
            "target_days",
            _("The target is between %(min)d and %(max)d days.")
            % {"min": MIN_TARGET_DAYS, "max": MAX_TARGET_DAYS},
        )
    if not MIN_AT_RISK_PERCENT <= draft.at_risk_percent <= MAX_AT_RISK_PERCENT:
        problems.add(
            "at_risk_percent",
            _("At risk is between %(min)d and %(max)d %% of the target.")
            % {"min": MIN_AT_RISK_PERCENT, "max": MAX_AT_RISK_PERCENT},
        )


def template_normalised(draft: TemplateDraft) -> TemplateDraft:
    return replace(
        draft,
        name=draft.name.strip(),
        plan=draft.plan.strip(),
        segment=draft.segment.strip(),
        milestones=tuple(milestone_normalised(m) for m in draft.milestones),
    )


def template_problems(
    draft: TemplateDraft, *, known_events: Collection[str], is_default: bool
) -> Problems:
    """Everything wrong with ``draft`` (normalise it first); empty when it can be saved.

    ``known_events``: the event names present in the usage rollups, so that a usage
    rule on a misspelt event is refused instead of silently never matching.
    """
    problems = Problems()
    _template_field_problems(draft, is_default=is_default, problems=problems)
    for index, milestone in enumerate(draft.milestones):
        _milestone_problems(index, milestone, known_events, problems)
    _order_problems(draft.milestones, problems)
    _first_value_problems(draft.milestones, problems)
    return problems
