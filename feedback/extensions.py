"""Extension points through which the apps built on ``feedback`` join in its work.

``feedback`` imports neither ``roadmap`` nor ``productrisk`` (they sit above it; see
ARCHITECTURE.md), yet a status change moves a product-risk flag, a vote must wake the
risk recompute, a merge carries the duplicate's roadmap items to its target, and the
triage table shows each idea's flag. So the services call the hooks registered here,
and the apps above register them from their ``AppConfig.ready``. A hook runs inside the
service's transaction; one that needs the commit (a task to queue) asks for it itself.

Every callable registered here must run a constant number of queries, whatever the
number of ideas: the pages assert their query counts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

#: Renewing within this many days counts as "renewing soon" in the demand figures,
#: unless the app that stores them says otherwise (see :func:`demand_as_of`).
DEFAULT_RENEWAL_WINDOW_DAYS = 90


@dataclass(frozen=True)
class IdeaBadge:
    """A badge beside an idea in the triage table and on the status screen."""

    key: str
    #: Rendered with ``idea`` in the context.
    template: str
    #: Annotates an Idea queryset with what the template reads (a join, no extra query).
    annotate: Callable[[QuerySet], QuerySet]


@dataclass(frozen=True)
class DemandAsOf:
    """How current the stored demand figures are: when they were last computed (None
    before the first time) and the renewal window they count "renewing soon" by."""

    computed_at: datetime | None
    renewal_window_days: int


@dataclass(frozen=True)
class IdeaAction:
    """A link to another app's page about one idea, on its triage row and its page
    (the roadmap's "Put on the roadmap"); shown to ``roles`` only."""

    key: str
    label: Any
    #: ``url(idea_pk) -> str``; builds a string, runs no query.
    url: Callable[[int], str]
    roles: frozenset[str]


@dataclass(frozen=True)
class IdeaPanel:
    """A section of an idea's page another app fills (the roadmap items carrying it)."""

    key: str
    template: str
    #: ``context(idea=idea, user=user) -> dict``: one query at most.
    context: Callable[..., dict[str, Any]]


@dataclass
class _Hooks:
    status_changed: list[Callable[..., None]]
    demand_changed: list[Callable[[], None]]
    merged: list[Callable[..., None]]
    badges: dict[str, IdeaBadge]
    actions: dict[str, IdeaAction]
    panels: dict[str, IdeaPanel]
    demand_clock: Callable[[], DemandAsOf] | None = None


_hooks = _Hooks(status_changed=[], demand_changed=[], merged=[], badges={}, actions={}, panels={})


def on_status_change(hook: Callable[..., None]) -> None:
    """``hook(idea=idea)`` runs in ``idea_status_change``'s transaction, after the new
    status is saved (product risk resolves or plans the idea's flag)."""
    _hooks.status_changed.append(hook)


def on_demand_change(hook: Callable[[], None]) -> None:
    """``hook()`` runs when votes or ticket links of any idea changed, or two ideas were
    merged (product risk debounces a recompute after commit)."""
    _hooks.demand_changed.append(hook)


def on_merge(hook: Callable[..., None]) -> None:
    """``hook(source=source, target=target)`` runs in ``idea_merge``'s transaction, once the
    duplicate's rows moved to the target (the roadmap carries its items over)."""
    _hooks.merged.append(hook)


def register_idea_badge(badge: IdeaBadge) -> None:
    _hooks.badges[badge.key] = badge


def register_idea_action(action: IdeaAction) -> None:
    _hooks.actions[action.key] = action


def register_idea_panel(panel: IdeaPanel) -> None:
    _hooks.panels[panel.key] = panel


def register_demand_clock(clock: Callable[[], DemandAsOf]) -> None:
    """The app that stores the demand figures (product risk's recompute) tells how
    current they are."""
    _hooks.demand_clock = clock


# --- What feedback calls ----------------------------------------------------------------


def idea_status_changed(idea: Any) -> None:
    for hook in _hooks.status_changed:
        hook(idea=idea)


def demand_changed() -> None:
    for hook in _hooks.demand_changed:
        hook()


def ideas_merged(*, source: Any, target: Any) -> None:
    for hook in _hooks.merged:
        hook(source=source, target=target)


def idea_badges() -> list[IdeaBadge]:
    return list(_hooks.badges.values())


def idea_actions(user: Any) -> list[IdeaAction]:
    """The registered actions ``user``'s role may take."""
    role = getattr(user, "role", None)
    return [action for action in _hooks.actions.values() if role in action.roles]


def idea_panels(*, idea: Any, user: Any) -> list[dict[str, Any]]:
    """Each registered panel of an idea's page: its template and its context."""
    return [
        {"template": panel.template, **panel.context(idea=idea, user=user)}
        for panel in _hooks.panels.values()
    ]


def with_badges(ideas: QuerySet) -> QuerySet:
    """``ideas`` annotated for every registered badge."""
    for badge in _hooks.badges.values():
        ideas = badge.annotate(ideas)
    return ideas


def demand_as_of() -> DemandAsOf:
    if _hooks.demand_clock is None:
        return DemandAsOf(None, DEFAULT_RENEWAL_WINDOW_DAYS)
    return _hooks.demand_clock()
