"""What health adds to the accounts portfolio: band, score and trend columns, a band
filter, and a panel with the per-band summary and the accounts at risk of churning.

Registered through accounts.extensions from HealthscoresConfig.ready, so that accounts
renders it without importing this app.
"""

from __future__ import annotations

import json
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.extensions import (
    PortfolioColumn,
    PortfolioExtension,
    PortfolioFilter,
    PortfolioPanel,
)
from healthscores import charts, selectors
from healthscores.selectors.portfolio import (
    AT_RISK,
    AT_RISK_DAYS,
    HEALTH_FILTER_CHOICES,
)

#: The portfolio's query parameter of the band filter.
FILTER_KEY = "health"


def _portfolio_link(request: HttpRequest, **params: str | int) -> str:
    """The current portfolio query with ``params`` set and the page reset."""
    query = request.GET.copy()
    query.pop("page", None)
    for key, value in params.items():
        query[key] = str(value)
    return "?" + query.urlencode()


def health_panel(request: HttpRequest, accounts: QuerySet) -> dict[str, Any]:
    """Context of the health panel for the filtered accounts: two queries."""
    # The viewer's today, as the portfolio's renewal filter, so "see all" matches.
    today = timezone.localdate()
    summary = selectors.health_summary(accounts, today=today)
    bands = [
        {"total": total, "url": _portfolio_link(request, **{FILTER_KEY: total.band})}
        for total in summary.bands
    ]
    figure = charts.band_summary_figure(
        [
            charts.BandBar(
                band=b["total"].band,
                label=b["total"].label,
                accounts=b["total"].accounts,
                arr=b["total"].arr,
                url=b["url"],
            )
            for b in bands
        ]
    )
    return {
        "summary": summary,
        "bands": bands,
        # plotly's encoder makes plain JSON; json_script re-encodes it HTML-safely.
        "figure": json.loads(figure.to_json()),
        "at_risk": (
            selectors.at_risk_accounts(accounts, today=today) if summary.at_risk_accounts else []
        ),
        "at_risk_days": AT_RISK_DAYS,
        "see_all_url": _portfolio_link(
            request,
            **{FILTER_KEY: AT_RISK, "renewal": AT_RISK_DAYS, "sort": "renewal", "dir": "asc"},
        ),
    }


EXTENSION = PortfolioExtension(
    key="health",
    prepare=selectors.with_health,
    columns=(
        PortfolioColumn(
            key="health",
            label=_("Health"),
            cell_template="healthscores/portfolio_band_cell.html",
        ),
        PortfolioColumn(
            key="score",
            label=_("Score"),
            cell_template="healthscores/portfolio_score_cell.html",
            sort_field="health__score",
            # Worst first: a CSM sorts by score to find the accounts that need them.
            first_dir="asc",
            numeric=True,
        ),
        PortfolioColumn(
            key="trend",
            label=_("Trend"),
            cell_template="healthscores/portfolio_trend_cell.html",
            numeric=True,
        ),
    ),
    filters=(
        PortfolioFilter(
            key=FILTER_KEY,
            label=_("Health"),
            empty_label=_("Any health"),
            choices=HEALTH_FILTER_CHOICES,
            apply=selectors.filter_by_health,
            no_match=selectors.no_health_match,
        ),
    ),
    panels=(
        PortfolioPanel(
            key="health", template="healthscores/portfolio_panel.html", context=health_panel
        ),
    ),
)
