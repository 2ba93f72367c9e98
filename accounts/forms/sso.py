"""The admin's form for rotating the secret of sign-in from the vendor's product."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SsoRotateForm(forms.Form):
    end_grace = forms.BooleanField(
        label=_("Refuse the old secret at once (it leaked)"),
        required=False,
        help_text=_(
            "Sign-ins from servers still using the old secret fail until they switch to "
            "the new one."
        ),
    )
