"""The pair of days "why it changed" compares, picked on the account page."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from healthscores.services.recompute import today_utc


class WhyChangedForm(forms.Form):
    """Two days, the earlier first, neither in the future. Read from the query string,
    so a comparison is a link a CSM can share."""

    prefix = "why"

    then = forms.DateField(
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Choose the earlier day."), "invalid": _("Enter a date.")},
    )
    now = forms.DateField(
        label=_("To"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Choose the later day."), "invalid": _("Enter a date.")},
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        then, now = data.get("then"), data.get("now")
        if then and now:
            if then >= now:
                raise forms.ValidationError(_("The first day must be before the second."))
            if now > today_utc():
                raise forms.ValidationError(_("There is no score for a day in the future."))
        return data

    def days(self) -> tuple[date, date] | None:
        """The pair to compare, or None when the form is not filled in correctly."""
        if not self.is_bound or not self.is_valid():
            return None
        return self.cleaned_data["then"], self.cleaned_data["now"]
