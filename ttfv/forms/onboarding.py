"""Input parsing of the onboarding pages: the dashboard's query string, check-offs and
the start date."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ttfv.models import Onboarding
from ttfv.selectors import DashboardChoices

SORT_CHOICES = [
    ("urgent", _("Fewest days left first")),
    ("relaxed", _("Most days left first")),
    ("start", _("Newest start first")),
    ("name", _("Account name")),
]


class DashboardQueryForm(forms.Form):
    """The dashboard's GET parameters. Unknown or stale values are dropped, not errors:
    a bookmarked link to a CSM who left still shows the dashboard."""

    csm = forms.TypedChoiceField(label=_("CSM"), required=False, coerce=int, empty_value=None)
    segment = forms.ChoiceField(label=_("Segment"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Onboarding.Status.choices],
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    FILTERS = ("csm", "segment", "status")

    def __init__(self, data: Any, *, choices: DashboardChoices) -> None:
        super().__init__(data)
        self.fields["csm"].choices = [("", _("All CSMs")), *choices.csms]
        self.fields["segment"].choices = [("", _("All segments"))] + [
            (value, value) for value in choices.segments
        ]

    def values(self) -> dict[str, Any]:
        """Cleaned parameters, each invalid one replaced by its default."""
        self.is_valid()
        cleaned = {name: self.cleaned_data.get(name) for name in self.fields}
        for name in self.errors:
            cleaned[name] = None
        cleaned["segment"] = cleaned["segment"] or ""
        cleaned["status"] = cleaned["status"] or ""
        cleaned["sort"] = cleaned["sort"] or SORT_CHOICES[0][0]
        return cleaned

    @property
    def has_filters(self) -> bool:
        values = self.values()
        return any(values[name] for name in self.FILTERS)


class CheckOffForm(forms.Form):
    achieved_on = forms.DateField(
        label=_("Reached on"),
        required=False,
        help_text=_("Leave empty for today."),
        error_messages={"invalid": _("Enter a date such as 2025-03-31.")},
    )


class StartForm(forms.Form):
    started_on = forms.DateField(
        label=_("Onboarding start"),
        required=False,
        help_text=_("Leave empty to use the contract start."),
        error_messages={"invalid": _("Enter a date such as 2025-03-31.")},
    )
