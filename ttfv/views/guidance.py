"""The guidance report page: did nudges help accounts reach their milestones?"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, cast

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from core.access import allow
from core.roles import STAFF_ROLES
from ttfv import selectors, services

DAY_FORMAT = "%Y-%m-%d"


class DayInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format=DAY_FORMAT)


class GuidanceFilterForm(forms.Form):
    """The report's GET parameters. An invalid value is reported next to its field and
    replaced by its default, so the report still shows."""

    day_from = forms.DateField(
        label=_("First nudged from"),
        required=False,
        input_formats=[DAY_FORMAT],
        widget=DayInput(),
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD, for example 2026-01-31.")},
    )
    day_to = forms.DateField(
        label=_("First nudged until"),
        required=False,
        input_formats=[DAY_FORMAT],
        widget=DayInput(),
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD, for example 2026-06-30.")},
    )
    template = forms.TypedChoiceField(
        label=_("Milestone template"), required=False, coerce=int, empty_value=None
    )
    csm = forms.TypedChoiceField(label=_("CSM"), required=False, coerce=int, empty_value=None)

    def __init__(self, data: Any, *, choices: selectors.GuidanceChoices, today: date) -> None:
        super().__init__(data)
        self.today = today
        template_field = cast(forms.ChoiceField, self.fields["template"])
        csm_field = cast(forms.ChoiceField, self.fields["csm"])
        template_field.choices = [("", _("All templates")), *choices.templates]
        csm_field.choices = [("", _("All CSMs")), *choices.csms]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day_from, day_to = cleaned.get("day_from"), cleaned.get("day_to")
        if day_from and day_to and day_to < day_from:
            self.add_error("day_to", _("Pick a day on or after the “First nudged from” day."))
        return cleaned

    def filters(self) -> selectors.GuidanceFilters:
        """The valid filters; a field with an error falls back to its default."""
        self.is_valid()
        value = {name: self.cleaned_data.get(name) for name in self.fields}
        for name in self.errors:
            value[name] = None
        day_to = value["day_to"] or self.today
        return selectors.GuidanceFilters(
            day_from=value["day_from"] or day_to - timedelta(days=selectors.GUIDANCE_DEFAULT_DAYS),
            day_to=day_to,
            template_id=value["template"],
            csm_id=value["csm"],
        )


@allow(STAFF_ROLES)
def guidance(request: HttpRequest) -> HttpResponse:
    today = services.today_utc()
    form = GuidanceFilterForm(request.GET, choices=selectors.guidance_filter_choices(), today=today)
    filters = form.filters()
    return render(
        request,
        "ttfv/guidance.html",
        {
            "form": form,
            "filters": filters,
            "report": selectors.guidance_report(filters=filters, today=today),
            "has_filters": any(request.GET.get(name) for name in form.fields),
        },
    )
