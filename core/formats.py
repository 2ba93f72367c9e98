"""Numbers as a reader of the active language writes them: amounts of money with the
installation's currency, scores, percentages and signed changes.

Every figure a person reads goes through here (templates through the ``numbers``
filters, charts and e-mails by calling these functions), so that "1,234.5" in English is
"1.234,5" in Spanish and Greek, and no page formats a number of its own with ``%.1f`` or
``{:,}``. Separators come from Django's formats for the active language (ours override
Django's where they differ from use in print, see ``csplatform/formats``). Exports that
are read back by a machine keep plain numbers and do not use this module.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import formats
from django.utils.translation import get_language

Number = int | float | Decimal

#: What a missing figure reads as, in every language.
MISSING = "—"
#: The typographic minus sign: a hyphen reads as a dash in Spanish and Greek print.
MINUS = "\u2212"
NBSP = "\xa0"

#: The symbol printed for the installation's currency (ISO 4217 code in settings.CURRENCY).
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CHF": "CHF"}

#: Languages that write the currency symbol after the amount ("1.234 €"), and those that
#: put a space before the percent sign ("45 %"), per their academies' style guides.
_SYMBOL_AFTER = {"es", "el"}
_SPACE_BEFORE_PERCENT = {"es"}


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def _is_nan(value: object) -> bool:
    # NaN is the only value not equal to itself: pandas hands missing figures over as NaN.
    return value != value


def plural_count(value: Number) -> int:
    """The integer to hand to ngettext for ``value``, which may have decimals.

    gettext chooses plural forms for integers only. In English, Spanish and Greek a number
    with a fraction takes the form of "many" ("1,5 días", "0,5 ημέρες"), which is the form
    gettext gives to 2; a whole number is passed as it is."""
    whole = int(value)
    return whole if whole == value else 2


def _rounded(value: Number, decimals: int) -> Decimal:
    """Half away from zero, as people round (Python's round() goes to even)."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def number(value: Number | None, decimals: int = 0) -> str:
    """``value`` with the language's decimal and thousands separators.

    A negative ``decimals`` shows up to that many decimals only when the rounded value is
    not whole ("12" but "12,5"), as Django's ``floatformat`` does."""
    if value is None or _is_nan(value):
        return MISSING
    rounded = _rounded(value, abs(decimals))
    if decimals < 0:
        decimals = 0 if rounded == rounded.to_integral_value() else -decimals
    return formats.number_format(rounded, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def money(value: Number | None, decimals: int = 0) -> str:
    """An amount in the installation's currency: "$1,234" in English, "1.234 $" in Spanish."""
    if value is None or _is_nan(value):
        return MISSING
    sign = MINUS if Decimal(str(value)) < 0 else ""
    return sign + with_currency(number(abs(Decimal(str(value))), decimals))


def currency_symbol() -> str:
    code = str(settings.CURRENCY)
    return SYMBOLS.get(code, code)


def with_currency(amount: str) -> str:
    """An amount already written out (or a chart's ``%{x:,.0f}`` placeholder) with the
    currency symbol on the side the language puts it."""
    symbol = currency_symbol()
    if _language() in _SYMBOL_AFTER or len(symbol) > 1:
        return f"{amount}{NBSP}{symbol}"
    return f"{symbol}{amount}"


def percent(value: Number | None, decimals: int = 0) -> str:
    """``value`` (already on a 0 to 100 scale) as a percentage."""
    if value is None or _is_nan(value):
        return MISSING
    space = NBSP if _language() in _SPACE_BEFORE_PERCENT else ""
    return f"{number(value, decimals)}{space}%"


def score(value: Number | None, decimals: int = 0) -> str:
    """A health or severity score: a plain number, one missing mark when there is none."""
    return number(value, decimals)


def signed(value: Number | None, decimals: int = 1) -> str:
    """A change, always with its sign: "+1.2" / "-3.0", with a true minus sign and
    the language's decimal separator ("+1,2" in Spanish)."""
    if value is None or _is_nan(value):
        return MISSING
    rounded = _rounded(value, decimals)
    magnitude = number(abs(rounded), decimals)
    if rounded > 0:
        return f"+{magnitude}"
    if rounded < 0:
        return f"{MINUS}{magnitude}"
    return magnitude


# --- Charts -----------------------------------------------------------------------------

#: Django date format characters and the d3-time-format directive plotly.js uses for each.
#: Months are the abbreviated ones, the only form plotly's locales give in every case
#: Greek needs ("5 Δεκ", where the full name would have to be in the genitive).
_D3_DIRECTIVES = {
    "j": "%-d",
    "d": "%d",
    "F": "%b",
    "E": "%b",
    "N": "%b",
    "M": "%b",
    "b": "%b",
    "n": "%-m",
    "m": "%m",
    "Y": "%Y",
    "y": "%y",
}


def d3_date_format(django_format: str) -> str:
    """A Django date format ("j \\d\\e F") as plotly's d3 format ("%-d de %b"), so a
    chart's hover dates are the pages' dates. Characters we do not map stay literal."""
    out: list[str] = []
    escaped = False
    for char in django_format:
        if escaped:
            out.append("%%" if char == "%" else char)
            escaped = False
        elif char == "\\":
            escaped = True
        else:
            out.append(_D3_DIRECTIVES.get(char, "%%" if char == "%" else char))
    return "".join(out)


def chart_day_format() -> str:
    """The d3 format of a day in a chart's hover label, from MONTH_DAY_FORMAT."""
    return d3_date_format(str(formats.get_format("MONTH_DAY_FORMAT")))


def chart_separators() -> str:
    """plotly's ``separators`` (decimal then thousands) for the active language."""
    return f"{formats.get_format('DECIMAL_SEPARATOR')}{formats.get_format('THOUSAND_SEPARATOR')}"
