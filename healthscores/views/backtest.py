"""The scorecard report: does red predict churn?"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.access import allow
from core.roles import STAFF_ROLES
from healthscores.backtest import BANDS, OUTCOMES, Backtest
from healthscores.charts.backtest import churn_rate_figure, score_distribution_figure
from healthscores.forms.backtest import BacktestForm
from healthscores.measures import measure_label
from healthscores.models import Band
from healthscores.selectors.backtest import miss_rows, scorecard_backtest
from healthscores.suggest import MIN_CHURNED

#: Misses listed on the page; the API returns them all.
MISSES_SHOWN = 50


def _matrix(report: Backtest) -> list[dict[str, Any]]:
    labels = dict(Band.choices)
    return [
        {
            "label": labels[band],
            "css": band,
            "counts": [report.matrix[band][outcome] for outcome in OUTCOMES],
            "rate": report.churn_rate[band],
        }
        for band in BANDS
    ]


@allow(STAFF_ROLES)
def backtest_report(request: HttpRequest) -> HttpResponse:
    """Band before each renewal against what happened, for a period and a horizon."""
    form = BacktestForm.from_query(request.GET)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        horizon = form.cleaned_data["horizon"]
        report = scorecard_backtest(
            start=form.cleaned_data["start"], end=form.cleaned_data["end"], horizon=horizon
        )
        context.update(
            report=report,
            horizon=horizon,
            matrix=_matrix(report),
            measures=[(measure_label(m.key), m) for m in report.measures],
            min_churned=MIN_CHURNED,
            suggested_weights=[
                (measure_label(key), share)
                for key, share in (report.suggestion.weights if report.suggestion else {}).items()
            ],
            misses=[
                (_("Churned while green"), miss_rows(report.missed_churn, MISSES_SHOWN)),
                (_("Red and renewed"), miss_rows(report.saved_red, MISSES_SHOWN)),
            ],
            distribution=score_distribution_figure(report, horizon=horizon),
            churn_rates=churn_rate_figure(report),
        )
    return render(request, "healthscores/backtest.html", context)
