"""Reads of the ingest app that other apps' pages show."""

from ingest.selectors.timeline import IMPORTS, import_entries

__all__ = ["IMPORTS", "import_entries"]
