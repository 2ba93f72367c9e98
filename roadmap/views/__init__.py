"""Pages of the roadmap: the public roadmap and changelog, the editor, the feed."""

from roadmap.views.public import (
    CHANGELOG_PAGE_SIZE,
    changelog,
    changelog_entry,
    public_roadmap,
)

__all__ = [
    "CHANGELOG_PAGE_SIZE",
    "changelog",
    "changelog_entry",
    "public_roadmap",
]
