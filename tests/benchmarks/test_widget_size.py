"""The in-app widget's weight on the vendor's pages (`make bench`): widget.js gzipped,
as every browser fetches it, against the 15 kB it must stay under (a script every
page of the vendor's product loads, on slow phones too)."""

from __future__ import annotations

import gzip

import pytest
from django.contrib.staticfiles import finders

from tests.benchmarks.report import report

pytestmark = pytest.mark.benchmark

REFERENCE_BYTES = 15 * 1024


def test_widget_js_gzipped_stays_under_15_kb():
    path = finders.find("widget/widget.js")
    assert path, "widget/widget.js is not among the static files"
    with open(path, "rb") as script:
        size = len(gzip.compress(script.read(), compresslevel=9))
    ratio = report(
        "widget.js gzipped", measured=size / 1024, reference=REFERENCE_BYTES / 1024, unit="kB"
    )
    assert ratio < 1
