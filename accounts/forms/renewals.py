"""The CSM's form for a renewal outcome on the account page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import RenewalOutcome

ARR_MAX = 10**12


class RenewalOutcomeForm(forms.Form):
    renewed_on = forms.DateField(
        label=_("Renewal date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=RenewalOutcome.Outcome.choices)
    arr_before = forms.DecimalField(
        label=_("ARR before"), min_value=0, max_value=ARR_MAX, decimal_places=2
    )
    arr_after = forms.DecimalField(
        label=_("ARR after"), min_value=0, max_value=ARR_MAX, decimal_places=2
    )
