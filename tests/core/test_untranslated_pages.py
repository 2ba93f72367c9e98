"""No English left on the pages a Greek reader sees, whatever their role.

The catalogue check (``.ci/messages.py check``) only sees strings that were marked for
translation. A string never marked, or marked but formatted once at import (a form's
choices built with ``gettext_lazy(...) % {...}`` in the class body), reaches the page in
English and no catalogue test notices. This seeds a small demo, follows the links every
demo login can reach with Greek as their language (one page per URL pattern, as
``tests/demo/embedded_crawl.py`` does, plus the pages not linked from a landing page and
the 403 and 404 pages), and looks for runs of two or more Latin-alphabet words in the
visible text: text nodes, placeholders, titles, aria-labels, button values, and the chart
titles, axis titles and trace names of the plotly figures on the page. Greek is written
in its own alphabet, so such a run is English unless it is the page's data (account
names, idea titles, people's names: anything stored in the database) or one of the few
names kept as they are (:data:`KEPT`); nor an amount with the currency written
first, the English order. Code (``<code>``, ``<pre>``, ``class="mono"``, identifiers) is skipped.

The pages are read at the pinned clock (tests/clock.py): the demo is dated from it.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.utils import translation

from accounts.forms.accounts import PortfolioQueryForm
from accounts.models import User
from demo.services.accounts import DEMO_LOGINS, GREEK_CUSTOMER, SPANISH_CUSTOMER
from healthscores.forms.backtest import BacktestForm
from healthscores.measures import UNIT_LABELS
from tests.crawl import crawl

pytestmark = pytest.mark.django_db

#: Pages no landing page links to for every role, and the error pages.
EXTRA_PAGES = [
    "/today/",
    "/plays/team/",
    "/plays/playbooks/",
    "/plays/rules/",
    "/onboarding/guidance/",
    "/onboarding/reports/",
    "/health/scorecards/",
    "/health/backtest/",
    "/widget/settings/",
    "/roadmap/",
    "/changelog/",
    "/me/",
    "/notifications/settings/",
    "/no-such-page/",
]
MAX_PAGES_PER_LOGIN = 90
#: Names kept in Latin letters on purpose: a standard's name ("JSON Web Token").
KEPT = {"Web Token"}
#: Two or more Latin-alphabet words in a row, separated by spaces (and punctuation, or a
#: number: "Within 30 days"). Words are lower case after their first letter, so
#: abbreviations (ROC AUC, API) and paths or URLs (Europe/Athens) do not count.
LATIN_RUN = re.compile(r"[A-Za-z][a-z'’]+(?:[,:;.\-–—)]*\s+(?:\d[\d.,]*\s+)?[(]?[A-Za-z][a-z'’]+)+")
#: A word of code or a product name: ``account_id``, ``window.csplatform('identify',``,
#: JavaScript, PyJWT.
IDENTIFIER = re.compile(r"\S*(?:_|[a-z][A-Z]|\w[.(]\S)\S*")
#: An amount with its currency symbol in front: English order, not Greek.
CURRENCY_FIRST = re.compile(r"[$€£]\d[\d.,]*")
#: Attributes a reader sees or hears.
SHOWN_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt", "data-confirm")
#: The keys of a plotly figure that hold words: titles, trace names, annotations.
FIGURE_TEXT_KEYS = re.compile(r"(^|\.)(title|title\.text|name|text)$")
#: Elements whose text is code, not prose (and the elements styled as code, "mono").
SKIPPED_TAGS = {"script", "style", "code", "pre", "textarea"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.figures: list[str] = []
        #: The open elements, and whether each is code (its text is not prose).
        self._open: list[tuple[str, bool]] = []
        self._json: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.texts.extend(attributes[name] for name in SHOWN_ATTRIBUTES if attributes.get(name))
        if tag == "input" and attributes.get("type") in ("submit", "button", "reset"):
            self.texts.append(attributes.get("value", ""))
        if tag == "script" and "json" in attributes.get("type", ""):
            self._json = []
        if tag not in VOID_TAGS:
            code = tag in SKIPPED_TAGS or "mono" in attributes.get("class", "").split()
            self._open.append((tag, code))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._json is not None:
            self.figures.append("".join(self._json))
            self._json = None
        if any(name == tag for name, _code in self._open):
            while self._open and self._open.pop()[0] != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self._json is not None:
            self._json.append(data)
        elif not any(code for _tag, code in self._open):
            self.texts.append(data)


def _figure_texts(value: Any, path: str = "") -> list[str]:
    if isinstance(value, dict):
        return [
            text
            for key, item in value.items()
            for text in _figure_texts(item, f"{path}.{key}" if path else key)
        ]
    if isinstance(value, list):
        return [text for item in value for text in _figure_texts(item, path)]
    if isinstance(value, str) and FIGURE_TEXT_KEYS.search(path):
        return [value]
    return []


def _visible(html: str) -> list[str]:
    """The visible texts of a page, chart texts included."""
    parser = _VisibleText()
    parser.feed(html)
    texts = [" ".join(text.split()) for text in parser.texts]
    for figure in parser.figures:
        try:
            texts.extend(_figure_texts(json.loads(figure)))
        except ValueError:
            continue
    return [text for text in texts if text]


def _stored_text() -> str:
    """Every string the database holds, and every person's full name: the demo's data,
    which is shown in the language it was written in."""
    values: list[str] = []
    for model in apps.get_models():
        fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, (models.CharField, models.TextField, models.JSONField))
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            values.extend(_strings(row))
    values.extend(
        f"{first} {last}" for first, last in User.objects.values_list("first_name", "last_name")
    )
    return "\n".join(" ".join(value.split()) for value in values)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, (list, tuple)):
        return [text for item in value for text in _strings(item)]
    return []


def _latin_runs(text: str) -> list[str]:
    """The runs of Latin words of ``text``, code words blanked out (so they split a run)
    but kept in the run returned, so a data string that holds one ("Native iOS and
    Android apps") is still found in the data."""
    blanked = IDENTIFIER.sub(lambda match: " " * len(match.group()), text)
    return [
        " ".join(text[match.start() : match.end()].split()).strip(" ,:;.-–—/()")
        for match in LATIN_RUN.finditer(blanked)
    ]


def _english(client: Client, start: str, data: str) -> dict[str, set[str]]:
    """The English runs of every page reachable from ``start``, by path."""
    found: dict[str, set[str]] = {}
    for path, response in crawl(client, [start, *EXTRA_PAGES], max_pages=MAX_PAGES_PER_LOGIN):
        if "text/html" not in response.get("Content-Type", ""):
            continue
        texts = _visible(response.content.decode())
        runs = {run for text in texts for run in _latin_runs(text)}
        english = {run for run in runs if run not in KEPT and run not in data}
        # Greek writes the currency after the amount ("28.000 $"), as core.formats.money does.
        english.update(amount for text in texts for amount in CURRENCY_FIRST.findall(text))
        if english:
            found[path] = english
    return found


@pytest.mark.timeout(300)
def test_no_english_is_left_on_any_page_a_greek_reader_of_each_role_sees():
    call_command("seed_demo", "--accounts", "12", stdout=StringIO())
    data = _stored_text()
    english: dict[str, dict[str, set[str]]] = {}
    for login in [*DEMO_LOGINS, GREEK_CUSTOMER]:
        user = User.objects.get(username=login.username)
        User.objects.filter(pk=user.pk).update(language="el")
        client = Client(raise_request_exception=False)
        client.force_login(user)
        landing = client.get("/", follow=True).request["PATH_INFO"]
        pages = _english(client, landing, data)
        if pages:
            english[login.username] = pages
    report = {
        username: {path: sorted(runs) for path, runs in pages.items()}
        for username, pages in english.items()
    }
    assert not report, json.dumps(report, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("language", [SPANISH_CUSTOMER.language, GREEK_CUSTOMER.language])
def test_choices_built_at_import_are_translated_when_shown(language):
    """The portfolio's renewal windows and the scorecard report's horizons are formatted
    lazily: built once at import, they are still read in each reader's language."""
    with translation.override("en"):
        english_renewals = [str(label) for _value, label in _renewal_choices()]
        english_horizons = [
            str(label) for _value, label in BacktestForm().fields["horizon"].choices
        ]
        english_units = [str(label) for label in UNIT_LABELS.values()]
    with translation.override(language):
        renewals = [str(label) for _value, label in _renewal_choices()]
        horizons = [str(label) for _value, label in BacktestForm().fields["horizon"].choices]
        units = [str(label) for label in UNIT_LABELS.values()]
    assert english_renewals[1] == "Within 30 days"
    assert english_horizons[0] == "30 days before"
    assert all("30" in label for label in (renewals[1], horizons[0]))
    assert not set(renewals) & set(english_renewals)
    assert not set(horizons) & set(english_horizons)
    assert not set(units) & set(english_units)


def _renewal_choices() -> list[tuple[Any, Any]]:
    return list(PortfolioQueryForm.base_fields["renewal"].choices)
