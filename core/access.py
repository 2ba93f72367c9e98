"""The one permission layer: deny by default, allow by role.

Every HTML view declares who may open it with ``@allow(...)`` or ``@public``;
:class:`AccessPolicyMiddleware` enforces it before the view runs and refuses any view
that declares nothing. Every API view declares the same ``access_policy`` and DRF's
default permission class, :class:`RolePermission`, enforces it. Rows are scoped to the
user separately, by each model's ``visible_to(user)`` QuerySet method.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver
from rest_framework.permissions import BasePermission

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails
    from rest_framework.request import Request
    from rest_framework.views import APIView

logger = logging.getLogger(__name__)

V = TypeVar("V", bound=Callable[..., Any] | type)


class RoleHolder(Protocol):
    """A signed-in user as the access layer reads one (``core`` cannot name the user
    model): what a view behind ``@allow`` may rely on."""

    role: str


@dataclass(frozen=True)
class Policy:
    roles: frozenset[str] = frozenset()
    public: bool = False

    def permits(self, user: Any) -> bool:
        if self.public:
            return True
        return bool(user and user.is_authenticated and user.role in self.roles)


DENY = Policy()


def allow(*roles: str | Iterable[str]) -> Callable[[V], V]:
    """Let signed-in users with one of ``roles`` reach a view (function, CBV or viewset)."""
    flat: set[str] = set()
    for role in roles:
        flat.update([role] if isinstance(role, str) else role)

    def decorate(view: V) -> V:
        view.access_policy = Policy(roles=frozenset(flat))  # type: ignore[union-attr]
        return view

    return decorate


def public(view: V) -> V:
    """Let anyone, signed in or not, reach a view."""
    view.access_policy = Policy(public=True)  # type: ignore[union-attr]
    return view


def policy_of(view_func: Callable[..., Any]) -> Policy | None:
    """The policy declared on a resolved view, whatever kind of view it is."""
    for holder in (
        view_func,
        getattr(view_func, "view_class", None),  # class-based views
        getattr(view_func, "cls", None),  # DRF views and viewsets
    ):
        policy: Policy | None = getattr(holder, "access_policy", None)
        if policy is not None:
            return policy
    return None


def is_api_view(view_func: Callable[..., Any]) -> bool:
    return hasattr(view_func, "cls")


class AccessPolicyMiddleware:
    """Enforce the declared policy of every HTML view; no policy means no entry."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if is_api_view(view_func):
            return None  # RolePermission answers with a JSON 401/403 instead of a page.
        match = request.resolver_match
        if match is not None and "admin" in match.namespaces:
            return None  # Django's admin site checks is_staff itself.
        policy = policy_of(view_func)
        if policy is None:
            logger.error("View %s declares no access policy; refused.", match and match.view_name)
            policy = DENY
        if policy.public:
            return None
        if not request.user.is_authenticated:
            return _sign_in_first(request)
        if policy.permits(request.user):
            return None
        raise PermissionDenied


def _sign_in_first(request: HttpRequest) -> HttpResponse:
    """Send an anonymous visitor to sign in, then back.

    An htmx request (a vote button clicked after the session expired) would swap the
    sign-in page into the button; it gets ``HX-Redirect`` instead, so the whole page goes
    to sign in and comes back to the page the click was made on.
    """
    htmx: HtmxDetails | None = getattr(request, "htmx", None)
    if htmx:
        back = htmx.current_url_abs_path or request.get_full_path()
        response = HttpResponse(status=204)
        response["HX-Redirect"] = redirect_to_login(back)["Location"]
        return response
    return redirect_to_login(request.get_full_path())


class RolePermission(BasePermission):
    """DRF's default permission: the view's ``access_policy``, denied when absent."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        policy: Policy | None = getattr(view, "access_policy", None)
        return policy is not None and policy.permits(request.user)


def declare_policies(
    patterns: list[Any],
    *,
    public_names: Iterable[str] = (),
    allowed: dict[str, Iterable[str]] | None = None,
) -> list[Any]:
    """Declare, by URL name, who may open a third-party app's pages (django-allauth's).

    Their views cannot carry our decorators, so the policy is set on each resolved view;
    a name listed nowhere (or a route without a name) is declared refused to everyone.
    """
    publics = set(public_names)
    allowed = allowed or {}
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            declare_policies(pattern.url_patterns, public_names=publics, allowed=allowed)
        elif isinstance(pattern, URLPattern):
            if pattern.name in publics:
                public(pattern.callback)
            elif pattern.name in allowed:
                allow(allowed[pattern.name])(pattern.callback)
            elif policy_of(pattern.callback) is None:
                pattern.callback.access_policy = DENY  # type: ignore[attr-defined]
    return patterns
