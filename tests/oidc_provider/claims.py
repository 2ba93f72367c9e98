"""What the local provider says about a person: the claims Okta or Entra ID send."""

from __future__ import annotations

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


class DirectoryClaimsValidator(OAuth2Validator):
    """Adds e-mail, name and the person's groups (Django groups here) to the ID token and
    userinfo. Groups travel with the "profile" scope, as many providers send them."""

    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "groups": "profile"}

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        return {
            "email": user.email,
            "email_verified": True,
            "name": user.get_full_name() or user.username,
            "preferred_username": user.username,
            "groups": sorted(user.groups.values_list("name", flat=True)),
        }
