"""Figures, dates and charts read as each language writes them, and the error pages say
which language they are in.

The formatting functions are pure: they are tested under ``translation.override``
without a database. The pages are requested with ``Accept-Language``, the way a browser
asks for them.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders
from django.template import Context, Template
from django.test import Client
from django.utils import formats as django_formats
from django.utils import translation

from core import formats, timespans

DAY = date(2026, 12, 5)
MOMENT = datetime(2026, 12, 5, 14, 3)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "1,234.5"), ("es", "1.234,5"), ("el", "1.234,5")],
)
def test_numbers_use_the_languages_separators(language, expected):
    with translation.override(language):
        assert formats.number(1234.5, 1) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "$1,234,567"), ("es", "1.234.567\xa0$"), ("el", "1.234.567\xa0$")],
)
def test_money_puts_the_currency_where_the_language_does(language, expected):
    with translation.override(language):
        assert formats.money(Decimal("1234567.40")) == expected


def test_money_follows_the_installations_currency(settings):
    settings.CURRENCY = "EUR"
    with translation.override("es"):
        assert formats.money(-2500) == "\u22122.500\xa0€"
    with translation.override("en"):
        assert formats.money(2500) == "€2,500"


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("es", 1.2, "+1,2"),
        ("el", -3, "\u22123,0"),
        ("en", -0.04, "0.0"),
        ("en", 0.05, "+0.1"),
    ],
)
def test_signed_changes_carry_a_sign_and_never_read_minus_zero(language, value, expected):
    with translation.override(language):
        assert formats.signed(value) == expected


def test_percentages_take_a_space_in_spanish_only():
    with translation.override("es"):
        assert formats.percent(45.25, 1) == "45,3\xa0%"
    with translation.override("el"):
        assert formats.percent(45) == "45%"


def test_a_missing_figure_reads_as_a_dash_in_every_form():
    assert {formats.number(None), formats.money(None), formats.percent(float("nan"))} == {"—"}
    assert formats.score(None) == "—"


def test_trimmed_decimals_show_only_when_the_number_is_not_whole():
    with translation.override("es"):
        assert formats.number(12.0, -1) == "12"
        assert formats.number(12.46, -1) == "12,5"


@pytest.mark.parametrize(("value", "count"), [(1, 1), (1.0, 1), (0, 0), (1.5, 2), (0.5, 2)])
def test_decimal_counts_take_the_plural(value, count):
    assert formats.plural_count(value) == count


def test_a_decimal_count_reads_in_the_plural_in_spanish_and_greek():
    template = Template(
        "{% load i18n numbers %}{% blocktranslate with days=value|number:-1 "
        "count counter=value|plural_count %}{{ days }} day{% plural %}{{ days }} days"
        "{% endblocktranslate %}"
    )
    with translation.override("es"):
        assert template.render(Context({"value": 1.5})) == "1,5 días"
        assert template.render(Context({"value": 1})) == "1 día"
    with translation.override("el"):
        assert template.render(Context({"value": 0.5})) == "0,5 ημέρες"


@pytest.mark.parametrize(
    ("language", "long", "short", "with_time"),
    [
        ("en", "Dec. 5, 2026", "Dec. 5, 2026", "Dec. 5, 2026, 2:03 p.m."),
        ("es", "5 de diciembre de 2026", "5 dic 2026", "5 de diciembre de 2026, 14:03"),
        ("el", "5 Δεκεμβρίου 2026", "5 Δεκεμβρίου 2026", "5 Δεκεμβρίου 2026, 14:03"),
    ],
)
def test_dates_have_one_form_per_language(language, long, short, with_time):
    """Short dates are never "12/05/2026", which reads as the 12th of May; Greek months
    are in the genitive, as a Greek date is written."""
    with translation.override(language):
        assert django_formats.date_format(DAY, "DATE_FORMAT") == long
        assert django_formats.date_format(DAY, "SHORT_DATE_FORMAT") == short
        assert django_formats.date_format(MOMENT, "DATETIME_FORMAT") == with_time


@pytest.mark.parametrize(
    ("language", "day", "separators"),
    [("en", "%b %-d", ".,"), ("es", "%-d de %b", ",."), ("el", "%-d %b", ",.")],
)
def test_charts_take_the_pages_day_format_and_separators(language, day, separators):
    with translation.override(language):
        assert formats.chart_day_format() == day
        assert formats.chart_separators() == separators
        assert "%{x:,.0f}" in formats.with_currency("%{x:,.0f}")


def test_django_formats_become_d3_formats_with_literals_kept():
    assert formats.d3_date_format(r"j \d\e F \d\e Y") == "%-d de %b de %Y"
    assert formats.d3_date_format("d/m/Y") == "%d/%m/%Y"


@pytest.mark.parametrize("language", ["es", "el"])
def test_plotlys_locale_is_served_and_named_in_the_chart(language):
    assert finders.find(f"vendor/plotly-locales/{language}.js") is not None
    template = Template(
        "{% load charts %}{% plotly_assets %}{% chart 'f' figure 'A chart' table=False %}"
    )
    with translation.override(language):
        html = template.render(Context({"figure": {"data": [], "layout": {}}}))
    assert f"vendor/plotly-locales/{language}.js" in html
    assert f'data-plotly-locale="{language}"' in html
    assert 'data-plotly-separators=",."' in html


def test_english_charts_need_no_locale_file():
    template = Template("{% load charts %}{% plotly_assets %}")
    with translation.override("en"):
        assert "plotly-locales" not in template.render(Context())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "title"), [("es", "Página no encontrada"), ("el", "Η σελίδα δεν βρέθηκε")]
)
def test_the_not_found_page_is_in_the_readers_language(client, language, title):
    response = client.get("/nothing-here/", HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    assert response.status_code == 404
    assert f'<html lang="{language}">' in html
    assert title in html


@pytest.mark.django_db
@pytest.mark.urls("tests.core.error_urls")
@pytest.mark.parametrize(
    ("language", "title"), [("es", "Algo ha fallado"), ("el", "Κάτι πήγε στραβά")]
)
def test_the_server_error_page_is_in_the_readers_language(language, title):
    client = Client(raise_request_exception=False)
    response = client.get("/page/explode/", HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    assert response.status_code == 500
    assert f'<html lang="{language}">' in html
    assert title in html


@pytest.mark.parametrize(
    ("language", "ago", "ahead"),
    [
        ("es", "3\xa0días", "1\xa0mes, 1\xa0semana"),
        ("el", "3\xa0ημέρες", "1\xa0μήνας, 1\xa0εβδομάδα"),
    ],
)
def test_spans_of_time_have_units_in_every_language(language, ago, ahead):
    """Django has no Greek for its time units: ours come from our catalogue."""
    now = datetime(2026, 6, 15, 10)
    with translation.override(language):
        assert timespans.since(datetime(2026, 6, 12, 10), now) == ago
        assert timespans.until(datetime(2026, 7, 23, 10), now) == ahead
    assert timespans.since(None) == ""
