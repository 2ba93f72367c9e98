"""The TTFV cohort reports page: filters in, one selector, render."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from core.access import allow
from core.roles import STAFF_ROLES
from ttfv import selectors, services

MONTH_FORMAT = "%Y-%m"


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self) -> None:
        super().__init__(format=MONTH_FORMAT)


class ReportFilterForm(forms.Form):
    """The report's GET parameters. An invalid value is reported next to its field and
    left out of the report, which still shows everything else."""

    start_from = forms.DateField(
        label=_("Started from"),
        required=False,
        input_formats=[MONTH_FORMAT],
        widget=MonthInput(),
        help_text=_("YYYY-MM."),
        error_messages={"invalid": _("Enter a month as YYYY-MM, for example 2026-01.")},
    )
    start_to = forms.DateField(
        label=_("Started until"),
        required=False,
        input_formats=[MONTH_FORMAT],
        widget=MonthInput(),
        help_text=_("YYYY-MM, included."),
        error_messages={"invalid": _("Enter a month as YYYY-MM, for example 2026-06.")},
    )
    segment = forms.ChoiceField(label=_("Segment"), required=False)
    plan = forms.ChoiceField(label=_("Plan"), required=False)
    csm = forms.TypedChoiceField(label=_("CSM"), required=False, coerce=int, empty_value=None)

    def __init__(self, data: Any, *, choices: selectors.ReportChoices) -> None:
        super().__init__(data)
        self.fields["segment"].choices = [("", _("All segments"))] + [
            (value, value) for value in choices.segments
        ]
        self.fields["plan"].choices = [("", _("All plans"))] + [
            (value, value) for value in choices.plans
        ]
        self.fields["csm"].choices = [("", _("All CSMs")), *choices.csms]
        for name in ("start_from", "start_to"):
            self.fields[name].widget.attrs["aria-describedby"] = f"id_{name}_helptext"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start_from, start_to = cleaned.get("start_from"), cleaned.get("start_to")
        if start_from and start_to and start_to < start_from:
            self.add_error("start_to", _("Pick a month on or after the “Started from” month."))
        return cleaned

    def filters(self) -> selectors.ReportFilters:
        """The valid filters; a field with an error is ignored."""
        self.is_valid()
        value = {name: self.cleaned_data.get(name) for name in self.fields}
        for name in self.errors:
            value[name] = None
        return selectors.ReportFilters(
            start_from=value["start_from"],
            start_to=value["start_to"],
            segment=value["segment"] or "",
            plan=value["plan"] or "",
            csm_id=value["csm"],
        )


@allow(STAFF_ROLES)
def reports(request: HttpRequest) -> HttpResponse:
    form = ReportFilterForm(request.GET, choices=selectors.report_filter_choices())
    filters = form.filters()
    report = selectors.ttfv_report(filters=filters, today=services.today_utc())
    return render(
        request,
        "ttfv/reports.html",
        {
            "form": form,
            "report": report,
            "has_filters": filters != selectors.ReportFilters(),
        },
    )
