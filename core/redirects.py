"""Where a form sends people back to: the page they came from, never another site."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

#: Longer paths are refused: no page of ours needs one, and logs and headers stay small.
MAX_PATH_LENGTH = 2000


def safe_next(request: HttpRequest, default: str) -> str:
    """The ``next`` parameter when it points inside this site, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def safe_relative_path(target: str) -> str | None:
    """``target`` when it is a path on this site (``/ideas/12/?tab=votes``), else None.

    Stricter than ``safe_next``, for a target that comes from outside the request (a
    signed token): no scheme, no host, not even our own, since a token says nothing of
    the host it will be opened on. ``//host`` and ``/\\host`` are hosts to a browser,
    and control characters or spaces are refused rather than guessed at.
    """
    if not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(ch in target for ch in "\\ ") or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    if len(target) > MAX_PATH_LENGTH or not url_has_allowed_host_and_scheme(
        target, allowed_hosts=None
    ):
        return None
    return target
