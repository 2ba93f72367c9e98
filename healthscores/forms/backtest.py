"""Input of the scorecard report (page and API): a period of renewals and a horizon."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.i18n import interpolate_lazy
from core.jobs import today_utc
from healthscores.backtest import DEFAULT_HORIZON, HORIZONS

#: A period longer than this would only repeat the scorecard's whole history.
MAX_PERIOD_DAYS = 5 * 366


class BacktestForm(forms.Form):
    start = forms.DateField(
        label=_("Renewals from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(label=_("to"), widget=forms.DateInput(attrs={"type": "date"}))
    horizon = forms.TypedChoiceField(
        label=_("Band taken"),
        choices=[
            (days, interpolate_lazy(_("%(days)d days before"), days=days)) for days in HORIZONS
        ],
        coerce=int,
    )

    @staticmethod
    def defaults() -> dict[str, Any]:
        """The last year of renewals, 60 days ahead: the practitioners' quarterly check."""
        today = today_utc()
        return {"start": today - timedelta(days=365), "end": today, "horizon": DEFAULT_HORIZON}

    @classmethod
    def from_query(cls, query: Any) -> BacktestForm:
        """Bound to the query string, each missing field taking its default."""
        data: dict[str, Any] = dict(cls.defaults())
        data.update({key: query[key] for key in ("start", "end", "horizon") if query.get(key)})
        return cls(data)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start: date | None = cleaned.get("start")
        end: date | None = cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end is before the start."))
            elif (end - start).days > MAX_PERIOD_DAYS:
                self.add_error("end", _("Choose a period of five years or less."))
        return cleaned
