"""Serve plotly.js from the installed plotly package as ``vendor/plotly.min.js``, and its
stylesheet as ``vendor/plotly.css``.

The plotly Python package ships the matching plotly.js build; serving that file keeps
the browser library and the figure JSON on one version without committing 4.8 MB, and
no page ever needs a CDN. The stylesheet is read from the same bundle
(``core.plotly_assets``) and written once per plotly version to a cache directory, from
which development serves it and ``collectstatic`` copies it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal, overload

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import CheckMessage
from django.core.files.storage import FileSystemStorage

from core.plotly_assets import BUNDLE, bundle_styles

STYLESHEET_NAME = "plotly.css"
FILES = {f"vendor/{BUNDLE.name}": BUNDLE.name, f"vendor/{STYLESHEET_NAME}": STYLESHEET_NAME}


class _PrefixedStorage(FileSystemStorage):
    prefix = "vendor"


def _stylesheet_dir() -> Path:
    """A directory holding ``plotly.css`` for the installed plotly, written on first use
    (atomically: several test or web processes may ask at once)."""
    directory = Path(tempfile.gettempdir()) / f"csplatform-plotly-{plotly.__version__}"
    target = directory / STYLESHEET_NAME
    if not target.exists():
        directory.mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=directory, suffix=".partial")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(bundle_styles().stylesheet)
        os.chmod(partial, 0o644)
        os.replace(partial, target)
    return directory


class PlotlyFinder(BaseFinder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._storages = {
            BUNDLE.name: _PrefixedStorage(location=str(BUNDLE.parent)),
        }

    def _storage(self, name: str) -> FileSystemStorage:
        if name not in self._storages:
            self._storages[name] = _PrefixedStorage(location=str(_stylesheet_dir()))
        return self._storages[name]

    def check(self, **kwargs: Any) -> list[CheckMessage]:
        return []

    @overload
    def find(self, path: str, find_all: Literal[False] = False) -> str | None: ...
    @overload
    def find(self, path: str, find_all: Literal[True]) -> list[str]: ...
    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> str | list[str] | None:
        name = FILES.get(path)
        if name is None:
            return [] if find_all else None
        match = self._storage(name).path(name)
        return [match] if find_all else match

    def list(
        self, ignore_patterns: Iterable[str] | None
    ) -> Iterator[tuple[str, FileSystemStorage]]:
        for name in FILES.values():
            yield name, self._storage(name)
