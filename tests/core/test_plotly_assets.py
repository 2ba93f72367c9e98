"""plotly.js' stylesheet is read from the bundle we serve and linked where plotly.js looks
for it, so that it writes no inline style (which our Content-Security-Policy refuses)."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.template import engines

from core.plotly_assets import BundleChanged, bundle_styles, read_styles

# The shape of the bundle, in miniature: the rules' object literal (quoted and bare keys,
# both quote styles), the loop that expands X and Y, and an injected stylesheet.
STYLE_ID = "ab" * 32
BUNDLE = (
    "/**\n* plotly.js v9.9.9\n*/\n"
    """var I0e={"X,X div":'font-family:"Open Sans";margin:0;',"X .modebar":"position:absolute;","""
    """Y:"position:fixed;","Y p":"margin:0;"};for(bV in I0e)R0e=bV.replace(/^,/," ,")"""
    """.replace(/X/g,".js-plotly-plot .plotly").replace(/Y/g,".plotly-notifier"),"""
    """swt.addStyleRule(R0e,I0e[bV]);\n"""
    f"""(function(){{if(!document.getElementById("{STYLE_ID}")){{"""
    f"""var e=document.createElement("style");e.id="{STYLE_ID}","""
    """e.textContent='.maplibregl-map{font:12px}'}})();\n"""
)


def test_rules_are_expanded_as_plotly_js_does():
    styles = read_styles(BUNDLE)
    assert styles.stylesheet.splitlines() == [
        "/* plotly.js v9.9.9: its stylesheet, as a file. */",
        '.js-plotly-plot .plotly,.js-plotly-plot .plotly div{font-family:"Open Sans";margin:0;}',
        ".js-plotly-plot .plotly .modebar{position:absolute;}",
        ".plotly-notifier{position:fixed;}",
        ".plotly-notifier p{margin:0;}",
    ]
    assert styles.injected_ids == (STYLE_ID,)


def test_a_bundle_of_another_shape_is_refused_loudly():
    with pytest.raises(BundleChanged):
        read_styles("/**\n* plotly.js v10\n*/ nothing of the kind")
    with pytest.raises(BundleChanged):
        read_styles(BUNDLE.replace('"X .modebar":"position:absolute;"', '"X .modebar":42'))


def test_the_installed_bundle_yields_its_whole_stylesheet():
    styles = bundle_styles()
    rules = styles.stylesheet.splitlines()[1:]
    assert len(rules) > 50
    assert ".js-plotly-plot .plotly .modebar{position:absolute;top:2px;right:2px;}" in rules
    assert all(rule.startswith((".js-plotly-plot", ".plotly-notifier")) for rule in rules)
    assert all(rule.count("{") == 1 and rule.endswith("}") for rule in rules)
    assert len(styles.injected_ids) >= 1  # the map library's


def test_the_stylesheet_is_a_static_file():
    path = finders.find("vendor/plotly.css")
    assert path is not None
    with open(path, encoding="utf-8") as stream:
        assert stream.read() == bundle_styles().stylesheet


def test_the_tag_links_the_stylesheet_under_the_ids_plotly_js_looks_for():
    html = engines["django"].from_string("{% load charts %}{% plotly_assets %}").render({})
    assert (
        '<link rel="stylesheet" href="/static/vendor/plotly.css" id="plotly.js-style-global" '
        'class="no-inline-styles">'
    ) in html
    for style_id in bundle_styles().injected_ids:
        assert f'<template id="{style_id}"></template>' in html
    assert html.index("plotly.css") < html.index("plotly.min.js") < html.index("charts.js")
