"""``{% load numbers %}``: the filters through which templates show figures, so that
separators, the currency and signs follow the reader's language (see core.formats).

``{{ account.arr|money }}``, ``{{ score|score }}``, ``{{ share|percent }}``,
``{{ delta|signed }}``, ``{{ count|number }}``; each takes the number of decimals as its
argument (``{{ value|number:1 }}``, ``{{ value|number:-1 }}`` for "only if not whole").
``plural_count`` turns a decimal figure into the count a ``{% blocktranslate count %}``
needs."""

from __future__ import annotations

from django import template

from core import formats

register = template.Library()

register.filter("number", formats.number)
register.filter("money", formats.money)
register.filter("percent", formats.percent)
register.filter("score", formats.score)
register.filter("signed", formats.signed)
register.filter("plural_count", formats.plural_count)
