"""User Markdown rendered to HTML that is safe to show to everyone.

Markdown is rendered first and the result is cleaned with an allow-list (nh3, the
ammonia sanitiser): raw HTML in the source, ``<script>``/``<style>``, event-handler
attributes and ``javascript:``/``data:`` links are dropped whatever the Markdown produced.
"""

from __future__ import annotations

import markdown as md
import nh3

ALLOWED_TAGS = frozenset(
    {
        "a", "blockquote", "br", "code", "del", "em", "h3", "h4", "h5", "h6", "hr", "li",
        "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"align"}, "th": {"align"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})


def render_markdown(source: str) -> str:
    """Sanitised HTML for ``source``; links get rel="nofollow noopener noreferrer"."""
    if not source.strip():
        return ""
    html = md.markdown(source, extensions=["fenced_code", "tables", "sane_lists"])
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )
