"""Serve plotly.js from the installed plotly package as ``vendor/plotly.min.js``.

The plotly Python package ships the matching plotly.js build; serving that file keeps
the browser library and the figure JSON on one version without committing 4.8 MB, and
no page ever needs a CDN.
"""

from __future__ import annotations

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PLOTLY_DIR = Path(plotly.__file__).resolve().parent / "package_data"
SOURCE_NAME = "plotly.min.js"
STATIC_PATH = "vendor/plotly.min.js"


class _PrefixedStorage(FileSystemStorage):
    prefix = "vendor"


class PlotlyFinder(BaseFinder):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.storage = _PrefixedStorage(location=str(PLOTLY_DIR))

    def check(self, **kwargs):
        return []

    def find(self, path: str, find_all: bool = False, **kwargs):
        if path != STATIC_PATH:
            return [] if find_all else None
        match = str(PLOTLY_DIR / SOURCE_NAME)
        return [match] if find_all else match

    def list(self, ignore_patterns):
        yield SOURCE_NAME, self.storage
