"""Navigation built from the access policies themselves, so a link is shown exactly to
the people who may open it. Each app registers the links to its own pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any, TypedDict

from django.http import HttpRequest
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.functional import Promise, SimpleLazyObject

from core.access import Policy, policy_of


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    #: Place in the header, lowest first; the apps register theirs from ``ready()``.
    order: int
    #: ``f(user) -> int``, a count shown beside the link (unread notifications).
    count: Callable[[Any], int] | None = None
    #: How the count is drawn (with ``count`` in the context): it says what it counts.
    count_template: str = "includes/nav_alert_count.html"
    #: "main" links sit in the header; "manage" ones (set-up and configuration pages
    #: most people open rarely) in its "Manage" menu, so the header stays one line.
    group: str = "main"
    #: When set, shown only to these roles (among those the policy lets in): for pages
    #: others may open but do not need in their header.
    roles: frozenset[str] = frozenset()


class NavEntry(TypedDict):
    """One link as the header template draws it."""

    label: str | Promise
    url: str
    active: bool
    #: The item's count, computed when first drawn (a lazy int).
    count: SimpleLazyObject | None
    count_template: str
    group: str


_items: dict[str, NavItem] = {}


def register_nav_item(item: NavItem) -> None:
    """Add a link to the header (or its "Manage" menu); the app that owns the page calls
    it from its ``AppConfig.ready``, so ``core`` names no app's pages."""
    _items[item.url_name] = item


def registered_items() -> list[NavItem]:
    return sorted(_items.values(), key=lambda item: (item.group != "main", item.order))


@lru_cache(maxsize=64)
def _resolved(url_name: str) -> tuple[str | None, Policy | None]:
    try:
        path = reverse(url_name)
    except NoReverseMatch:
        return None, None
    return path, policy_of(resolve(path).func)


def nav_items(user: Any, current_path: str) -> list[NavEntry]:
    items: list[NavEntry] = []
    for item in registered_items():
        path, policy = _resolved(item.url_name)
        if path is None or policy is None or not policy.permits(user):
            continue
        if item.roles and getattr(user, "role", None) not in item.roles:  # anonymous: none
            continue
        entry: NavEntry = {
            "label": item.label,
            "url": path,
            "active": False,
            "count": None,
            "count_template": item.count_template,
            "group": item.group,
        }
        if item.count:
            # Lazy: the count's query runs only when a page draws the navigation, once.
            entry["count"] = SimpleLazyObject(partial(item.count, user))
        items.append(entry)
    # The deepest link containing the current page is the active one, so that
    # /accounts/getting-started/ marks "Getting started" and not also "Portfolio".
    containing = [i for i in items if current_path.startswith(i["url"]) and i["url"] != "/"]
    if containing:
        max(containing, key=lambda i: len(i["url"]))["active"] = True
    return items


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Template context processor: the header's links and its "Manage" menu."""
    items = nav_items(request.user, request.path)
    manage = [item for item in items if item["group"] == "manage"]
    return {
        "nav_items": [item for item in items if item["group"] == "main"],
        "manage_items": manage,
        "manage_active": any(item["active"] for item in manage),
    }
