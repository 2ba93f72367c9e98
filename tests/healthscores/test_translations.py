"""Health in Spanish and Greek: chart hover text and money as the reader writes them,
and the default scorecard named in the installation's language."""

from __future__ import annotations

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import translation

from healthscores.charts.history import HistoryPoint, score_history_figure
from healthscores.charts.portfolio import BandBar, band_summary_figure
from healthscores.models import Scorecard

DAY = date(2026, 6, 15)


@pytest.mark.parametrize(
    ("language", "hover", "separators"), [("es", "%-d de %b", ",."), ("el", "%-d %b", ",.")]
)
def test_the_score_history_hovers_with_the_languages_day(language, hover, separators):
    with translation.override(language):
        figure = score_history_figure(
            [HistoryPoint(day=DAY, score=55.0, band="yellow")],
            start=DAY,
            end=DAY,
            red_below=40,
            green_from=70,
        ).to_plotly_json()
    assert figure["data"][0]["hovertemplate"].startswith(f"%{{x|{hover}}}")


@pytest.mark.parametrize(
    ("language", "hover", "axis"),
    [("en", "$%{x:,.0f}", "ARR ($)"), ("es", "%{x:,.0f}\xa0$", "ARR ($)")],
)
def test_the_band_chart_puts_the_currency_where_the_language_does(language, hover, axis):
    with translation.override(language):
        figure = band_summary_figure(
            [BandBar(band="red", label="Red", accounts=2, arr=Decimal("1000"))]
        ).to_plotly_json()
    assert hover in figure["data"][1]["hovertemplate"]
    assert figure["layout"]["xaxis2"]["title"]["text"] == axis


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "name"), [("es", "Predeterminada"), ("el", "Προεπιλεγμένη")])
def test_the_default_scorecard_is_named_in_the_installations_language(settings, language, name):
    Scorecard.objects.filter(segment="").delete()
    settings.LANGUAGE_CODE = language
    migration = importlib.import_module("healthscores.migrations.0003_default_scorecard")
    migration.create_default(apps, None)
    scorecard = Scorecard.objects.get(segment="")
    assert scorecard.name == name
    assert scorecard.versions.get().config["name"] == name
