"""Which role a staff member's single sign-on claims give them: plain data in and out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.roles import STAFF_ROLES, Role

#: Most important first: someone in both the admins' and the CSMs' group is an admin.
_RANK = [Role.ADMIN, Role.CSM, Role.PM]


def role_from_claims(claims: Mapping[str, Any], *, claim: str, mapping: Mapping[str, str]) -> str:
    """The staff role the provider's ``claim`` maps to, or "" when nothing maps.

    The claim may be one string ("role": "csm") or a list (Okta's and Entra's "groups").
    Only staff roles can come from a provider: a claim can never make someone a customer,
    whose access depends on the contact they are linked to.
    """
    value = claims.get(claim)
    values = [value] if isinstance(value, str) else list(value or [])
    roles = {mapping.get(str(v), "") for v in values} & set(STAFF_ROLES)
    for role in _RANK:
        if role in roles:
            return str(role)
    return ""
