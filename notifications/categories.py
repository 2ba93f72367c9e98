"""Which preference category an alert kind belongs to, and each role's defaults.

Pure data, no ORM: the raise path and the settings page both read it. Kinds are the
strings the raising apps store on ``Alert.kind``; ``notifications`` sits below those apps
and cannot import their constants, so the strings are the contract, matched by prefix.
A kind outside every category (an app's new kind nobody has classified yet) is always
delivered right away: a person is never silently cut off from something new.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.roles import Role
from notifications.models.preferences import Category, Delivery

#: Kind prefix -> category; the longest matching prefix wins.
KIND_PREFIXES: dict[str, str] = {
    "feedback.idea": Category.IDEAS,
    "feedback.comment": Category.COMMENTS,
    "feedback.product_risk": Category.RISKS,
    "productrisk.": Category.RISKS,
    "health.": Category.HEALTH,
}

#: Categories a person chooses for; the digest takes only "daily" or "off".
CHOOSABLE = [c.value for c in Category]
DIGEST_CHOICES = (Delivery.DAILY, Delivery.OFF)

NOW, DAILY, OFF = Delivery.INSTANT, Delivery.DAILY, Delivery.OFF
#: What a person gets before choosing. Everyone hears of the ideas they follow right
#: away and a CSM of a health drop of their own account; product-risk flags, which a
#: recompute opens by the thousand, come as one morning digest to every staff role.
ROLE_DEFAULTS: dict[str, dict[str, str]] = {
    Role.CUSTOMER: {"ideas": NOW, "comments": NOW, "risks": OFF, "health": OFF, "digest": DAILY},
    Role.CSM: {"ideas": NOW, "comments": NOW, "risks": DAILY, "health": NOW, "digest": DAILY},
    Role.PM: {"ideas": NOW, "comments": NOW, "risks": DAILY, "health": DAILY, "digest": DAILY},
    Role.ADMIN: {"ideas": NOW, "comments": NOW, "risks": DAILY, "health": DAILY, "digest": DAILY},
}


def category_of(kind: str) -> str | None:
    """The category of an alert kind, or None for a kind that has none."""
    matches = [prefix for prefix in KIND_PREFIXES if kind.startswith(prefix)]
    return KIND_PREFIXES[max(matches, key=len)] if matches else None


def effective(role: str, saved: Mapping[str, str]) -> dict[str, str]:
    """Every category's delivery for a person: what they saved, else their role's default."""
    defaults = ROLE_DEFAULTS.get(role, ROLE_DEFAULTS[Role.CUSTOMER])
    return {category: saved.get(category, defaults[category]) for category in CHOOSABLE}


def allowed(category: str) -> tuple[str, ...]:
    """The deliveries a category may take."""
    if category == Category.DIGEST:
        return tuple(DIGEST_CHOICES)
    return tuple(Delivery)


def email_state(deliveries: Mapping[str, str], kind: str) -> str | None:
    """What becomes of a new alert of ``kind`` for a person with these ``deliveries``:
    ``pending`` (e-mail now), ``digest``, ``skipped`` (inbox only), or None (not written)."""
    category = category_of(kind)
    if category is None:
        return "pending"
    choice = deliveries[category]
    if choice == Delivery.OFF:
        return None
    if choice == Delivery.DAILY:
        return "digest" if deliveries[Category.DIGEST] == Delivery.DAILY else "skipped"
    return "pending"
