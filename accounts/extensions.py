"""Extension points through which the apps built on ``accounts`` add to its pages.

``accounts`` imports none of the apps above it (see DESIGN.md), yet the Customer 360
page shows their health, onboarding and product-risk panels and the portfolio sorts and
filters by health. Each app registers what it adds from its ``AppConfig.ready``;
``accounts`` renders whatever is registered, in order, and knows nothing else of it.

Every callable registered here must run a constant number of queries, whatever the
number of accounts: the pages assert their query counts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import Promise

Label = str | Promise


@dataclass(frozen=True)
class AccountSection:
    """A panel on the Customer 360 page."""

    #: Also the id of the panel's root element, which the page's section menu links to.
    key: str
    template: str
    #: (request, account) -> the template's context.
    context: Callable[[HttpRequest, Any], dict[str, Any]]
    #: "top": under the profile, before usage; "bottom": after the notes.
    slot: str = "top"
    order: int = 100
    #: The panel's name in the page's section menu; empty: not listed there.
    label: Label = ""


@dataclass(frozen=True)
class PortfolioColumn:
    key: str
    label: Label
    #: Rendered for each row with ``account`` in the context.
    cell_template: str
    #: An ordering expression on Account (e.g. "health__score"); empty: not sortable.
    sort_field: str = ""
    #: The direction of a first click on the header.
    first_dir: str = "desc"
    numeric: bool = False


@dataclass(frozen=True)
class PortfolioFilter:
    key: str
    label: Label
    empty_label: Label
    choices: Sequence[tuple[str, Label]]
    #: (accounts, chosen value) -> filtered accounts.
    apply: Callable[[QuerySet, str], QuerySet]
    #: (chosen value) -> what the empty portfolio says when this filter alone leaves
    #: nothing ("No red accounts in this view"); None: the generic sentence.
    no_match: Callable[[str], str] | None = None


@dataclass(frozen=True)
class PortfolioPanel:
    """A block above the portfolio table (a summary chart, an at-risk list)."""

    key: str
    template: str
    #: (request, the filtered accounts, unordered) -> the template's context.
    context: Callable[[HttpRequest, QuerySet], dict[str, Any]]
    order: int = 100


@dataclass(frozen=True)
class PortfolioExtension:
    key: str
    #: Applied to the portfolio's accounts first: select or annotate what columns read.
    prepare: Callable[[QuerySet], QuerySet] = lambda accounts: accounts
    columns: tuple[PortfolioColumn, ...] = ()
    filters: tuple[PortfolioFilter, ...] = ()
    panels: tuple[PortfolioPanel, ...] = ()


@dataclass(frozen=True)
class BulkAction:
    """Something the portfolio does to the accounts selected in it.

    The portfolio lists the actions the viewer's role may use, renders each one's form
    (its own inputs: the CSM, the stage, the playbook) beside the menu, asks for a
    confirmation that states the count, then calls ``perform``. ``perform`` is a
    service: it checks who may do it, changes the accounts and audits the change.
    """

    key: str
    label: Label
    #: The action's own inputs: a Form class (prefixed with the key on the page).
    form: type[Any] | None
    #: (actor, account ids, the form's cleaned data) -> how many accounts changed.
    perform: Callable[[Any, list[int], dict[str, Any]], int]
    #: (count, cleaned data) -> the question asked before: "Reassign 3 accounts to Ana?"
    confirm: Callable[[int, dict[str, Any]], str]
    #: (changed, cleaned data) -> what the page says after.
    done: Callable[[int, dict[str, Any]], str]
    #: The roles that see it in the menu; ``perform`` enforces its own rule too.
    roles: frozenset[str] = frozenset()
    order: int = 100


_account_sections: dict[str, AccountSection] = {}
_bulk_actions: dict[str, BulkAction] = {}
_portfolio_extensions: dict[str, PortfolioExtension] = {}


def register_account_section(section: AccountSection) -> None:
    _account_sections[section.key] = section


def account_sections(slot: str) -> list[AccountSection]:
    sections = [s for s in _account_sections.values() if s.slot == slot]
    return sorted(sections, key=lambda s: (s.order, s.key))


def register_portfolio_extension(extension: PortfolioExtension) -> None:
    _portfolio_extensions[extension.key] = extension


def portfolio_extensions() -> list[PortfolioExtension]:
    return list(_portfolio_extensions.values())


def portfolio_columns() -> list[PortfolioColumn]:
    return [column for ext in portfolio_extensions() for column in ext.columns]


def portfolio_filters() -> list[PortfolioFilter]:
    return [item for ext in portfolio_extensions() for item in ext.filters]


def portfolio_panels() -> list[PortfolioPanel]:
    panels = [panel for ext in portfolio_extensions() for panel in ext.panels]
    return sorted(panels, key=lambda p: (p.order, p.key))


def register_bulk_action(action: BulkAction) -> None:
    _bulk_actions[action.key] = action


def bulk_actions(role: str | None = None) -> list[BulkAction]:
    """The registered bulk actions, in menu order; with ``role``, those it may use."""
    actions = [a for a in _bulk_actions.values() if role is None or role in a.roles]
    return sorted(actions, key=lambda a: (a.order, a.key))
