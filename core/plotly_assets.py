"""What plotly.js needs from the page so that it draws under a strict Content-Security-Policy.

On load, the plotly.js bundle writes its stylesheet (modebar, hover labels, cursors) into
``<style>`` elements of its own, and so does the map library it carries. Our policy
allows no inline style, so the browser refuses both and reports a violation. The bundle
skips each one when the page already has an element with the id it looks for (plus the
class ``no-inline-styles`` for its main stylesheet). We therefore serve the same rules
as a static file, ``vendor/plotly.css``, read from the very bundle we serve, and link it
under those ids: the rules and the library stay on one version with nothing committed.

Map traces are not drawn by any page of ours, so the map library's stylesheet is only
marked present, not served.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import plotly

BUNDLE = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
#: The id under which plotly.js looks for its stylesheet before writing it inline.
GLOBAL_STYLE_ID = "plotly.js-style-global"

_STRING = r""""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'"""
# The object literal of plotly.js' stylesheet: selector templates to declarations,
# followed by the loop that expands the templates and adds each rule.
_RULES = re.compile(r"""=\{("X,X div":.*?)\};for\(\w+ in \w+\)""", re.DOTALL)
_RULE = re.compile(rf"""\s*({_STRING}|[A-Za-z_$][\w$]*)\s*:\s*({_STRING})\s*,?""")
_TEMPLATES = re.compile(r"""\.replace\(/X/g,"([^"]+)"\)\.replace\(/Y/g,"([^"]+)"\)""")
# An esbuild-injected stylesheet: written only when no element carries its hash id.
_INJECTED = re.compile(
    r"""document\.getElementById\("([0-9a-f]{64})"\)\)\{var (\w+)=document\.createElement"""
    r"""\("style"\)"""
)


class BundleChanged(RuntimeError):
    """The plotly.js bundle no longer has the shape this module reads."""


@dataclass(frozen=True)
class PlotlyStyles:
    stylesheet: str  # the rules plotly.js would write inline, as a CSS file
    injected_ids: tuple[str, ...]  # ids of other inline stylesheets it writes on load


def _unquote(literal: str) -> str:
    """A JavaScript string literal's value (or an unquoted key, as it is)."""
    if literal[:1] not in {'"', "'"}:
        return literal
    return re.sub(r"\\(.)", r"\1", literal[1:-1])


def read_styles(bundle: str) -> PlotlyStyles:
    """Pure: the bundle's text in, its stylesheet and injected style ids out."""
    rules_match = _RULES.search(bundle)
    templates = _TEMPLATES.search(bundle)
    if rules_match is None or templates is None:
        raise BundleChanged(
            "plotly.js' stylesheet was not found in its bundle: update core/plotly_assets.py."
        )
    body, rules, position = rules_match.group(1), [], 0
    while position < len(body):
        rule = _RULE.match(body, position)
        if rule is None:
            raise BundleChanged(f"unexpected text in plotly.js' stylesheet at {position}.")
        selector = _unquote(rule.group(1))
        selector = re.sub(r"^,", " ,", selector)
        selector = selector.replace("X", templates.group(1)).replace("Y", templates.group(2))
        rules.append(f"{selector}{{{_unquote(rule.group(2))}}}")
        position = rule.end()
    header = f"/* {bundle.splitlines()[1].strip(' *')}: its stylesheet, as a file. */"
    injected = tuple(dict.fromkeys(match.group(1) for match in _INJECTED.finditer(bundle)))
    return PlotlyStyles(stylesheet="\n".join([header, *rules, ""]), injected_ids=injected)


@functools.cache
def bundle_styles() -> PlotlyStyles:
    """The styles of the installed bundle, read once per process."""
    return read_styles(BUNDLE.read_text(encoding="utf-8"))
