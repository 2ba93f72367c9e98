"""Input parsing of a person's settings page."""

from __future__ import annotations

from typing import cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class UserSettingsForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        help_text=_("Pages, e-mails and notifications are shown in this language."),
    )
    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=User._meta.get_field("time_zone").max_length,
        help_text=_("Times are shown in this zone, for example Europe/Berlin."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Each language in itself, as in the switcher; blank leaves it to the browser.
        language = cast(forms.ChoiceField, self.fields["language"])
        language.choices = [
            ("", _("The language of my browser")),
            *settings.LANGUAGES,
        ]
