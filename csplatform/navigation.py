"""Navigation built from the access policies themselves, so a link is shown exactly to
the people who may open it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache, partial

from django.urls import NoReverseMatch, resolve, reverse
from django.utils.functional import Promise, SimpleLazyObject
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from accounts.roles import PRODUCT_ROLES, Role
from csplatform.access import policy_of


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    #: Dotted path of ``f(user) -> int``, a count shown beside the link (unread alerts).
    #: A path, not the function, so that csplatform imports no app at load time.
    count: str = ""
    #: "main" links sit in the header; "manage" ones (set-up and configuration pages
    #: most people open rarely) in its "Manage" menu, so the header stays one line.
    group: str = "main"
    #: When set, shown only to these roles (among those the policy lets in): for pages
    #: others may open but do not need in their header.
    roles: frozenset[str] = frozenset()


MAIN_NAV = [
    NavItem(_("Portfolio"), "accounts:portfolio"),
    NavItem(_("Onboarding"), "ttfv:dashboard"),
    NavItem(_("Triage"), "feedback:triage"),
    NavItem(_("Ideas"), "feedback:board"),
    NavItem(_("Product risks"), "feedback:risks", roles=PRODUCT_ROLES),
    NavItem(_("Blocked accounts"), "feedback:my_risks", roles=frozenset({Role.CSM})),
    NavItem(_("Roadmap"), "roadmap:public"),
    NavItem(_("Notifications"), "accounts:alerts", count="accounts.selectors.unread_alert_count"),
    NavItem(_("Getting started"), "accounts:getting_started", group="manage"),
    NavItem(_("Import data"), "accounts:import", group="manage"),
    NavItem(_("Health scorecards"), "healthscores:scorecards", group="manage"),
    NavItem(_("Recompute jobs"), "healthscores:runs", group="manage"),
    NavItem(_("Onboarding milestones"), "ttfv:templates", group="manage"),
    NavItem(_("Roadmap editor"), "roadmap:editor", group="manage"),
    NavItem(_("API docs"), "api-docs", group="manage"),
    NavItem(_("Product-risk rule"), "feedback:risk_rule", group="manage"),
]


@lru_cache(maxsize=64)
def _resolved(url_name: str):
    try:
        path = reverse(url_name)
    except NoReverseMatch:
        return None, None
    return path, policy_of(resolve(path).func)


def nav_items(user, current_path: str) -> list[dict]:
    items = []
    for item in MAIN_NAV:
        path, policy = _resolved(item.url_name)
        if path is None or policy is None or not policy.permits(user):
            continue
        if item.roles and user.role not in item.roles:
            continue
        entry = {
            "label": item.label,
            "url": path,
            "active": False,
            "count": None,
            "group": item.group,
        }
        if item.count:
            # Lazy: the count's query runs only when a page draws the navigation, once.
            entry["count"] = SimpleLazyObject(partial(import_string(item.count), user))
        items.append(entry)
    # The deepest link containing the current page is the active one, so that
    # /accounts/getting-started/ marks "Getting started" and not also "Portfolio".
    containing = [i for i in items if current_path.startswith(i["url"]) and i["url"] != "/"]
    if containing:
        max(containing, key=lambda i: len(i["url"]))["active"] = True
    return items


def navigation(request) -> dict:
    """Template context processor: the header's links and its "Manage" menu."""
    items = nav_items(request.user, request.path)
    manage = [item for item in items if item["group"] == "manage"]
    return {
        "nav_items": [item for item in items if item["group"] == "main"],
        "manage_items": manage,
        "manage_active": any(item["active"] for item in manage),
    }
