"""The changelog as an Atom feed, for feed readers and chat integrations."""

from __future__ import annotations

from datetime import UTC, datetime, time

from django.contrib.syndication.views import Feed
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from roadmap import selectors
from roadmap.models import RoadmapItem
from roadmap.services import changelog_url


class ChangelogFeed(Feed):
    feed_type = Atom1Feed
    title = _("csplatform changelog")
    subtitle = _("Improvements we have shipped, newest first.")
    link = reverse_lazy("roadmap:changelog")
    feed_url = reverse_lazy("roadmap:feed")
    author_name = "csplatform"

    def items(self) -> list[RoadmapItem]:
        return selectors.feed_items()

    def item_title(self, item: RoadmapItem) -> str:
        return item.title

    def item_description(self, item: RoadmapItem) -> str:
        # Sanitised when stored; the linked ideas' titles are escaped by the template.
        return render_to_string("roadmap/_feed_entry.html", {"item": item})

    def item_link(self, item: RoadmapItem) -> str:
        return changelog_url(item)

    def item_pubdate(self, item: RoadmapItem) -> datetime:
        # Ship dates are UTC days; the entry is dated at the start of that day.
        return datetime.combine(item.shipped_on, time.min, tzinfo=UTC)

    def item_updateddate(self, item: RoadmapItem) -> datetime:
        return max(item.updated_at, self.item_pubdate(item))
