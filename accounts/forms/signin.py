"""The sign-in form: allauth's, labelled for our users and aware of staff single sign-on."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import LoginForm
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.roles import STAFF_ROLES


def staff_password_login_allowed() -> bool:
    """Staff may use a password unless single sign-on is on and the admin turned it off."""
    return settings.STAFF_PASSWORD_LOGIN or not settings.OIDC_SERVER_URL


class SignInForm(LoginForm):
    """allauth's form with our labels, and the one rule it does not know: with single
    sign-on on, an installation may require staff to use it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = gettext_lazy("Username or e-mail")
        self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["login"].widget.attrs["autocomplete"] = "username"
        self.fields["password"].help_text = ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        user: Any = getattr(self, "user", None)
        if user is not None and user.role in STAFF_ROLES and not staff_password_login_allowed():
            self.user = None
            raise ValidationError(
                _("Staff sign in with %(provider)s: use the button below.")
                % {"provider": settings.OIDC_PROVIDER_NAME}
            )
        return cleaned
