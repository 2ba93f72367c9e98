"""Serve plotly.js from the installed plotly package as ``vendor/plotly.min.js``.

The plotly Python package ships the matching plotly.js build; serving that file keeps
the browser library and the figure JSON on one version without committing 4.8 MB, and
no page ever needs a CDN.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal, overload

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import CheckMessage
from django.core.files.storage import FileSystemStorage

PLOTLY_DIR = Path(plotly.__file__).resolve().parent / "package_data"
SOURCE_NAME = "plotly.min.js"
STATIC_PATH = "vendor/plotly.min.js"


class _PrefixedStorage(FileSystemStorage):
    prefix = "vendor"


class PlotlyFinder(BaseFinder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.storage = _PrefixedStorage(location=str(PLOTLY_DIR))

    def check(self, **kwargs: Any) -> list[CheckMessage]:
        return []

    @overload
    def find(self, path: str, find_all: Literal[False] = False) -> str | None: ...
    @overload
    def find(self, path: str, find_all: Literal[True]) -> list[str]: ...
    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> str | list[str] | None:
        if path != STATIC_PATH:
            return [] if find_all else None
        match = str(PLOTLY_DIR / SOURCE_NAME)
        return [match] if find_all else match

    def list(
        self, ignore_patterns: Iterable[str] | None
    ) -> Iterator[tuple[str, FileSystemStorage]]:
        yield SOURCE_NAME, self.storage
