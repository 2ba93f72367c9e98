"""Input parsing of the import page."""

from ingest.forms.imports import MAX_UPLOAD_BYTES, ImportForm

__all__ = ["MAX_UPLOAD_BYTES", "ImportForm"]
