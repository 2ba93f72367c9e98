"""The widget's words, translated into the reader's language when the config is read:
widget.js carries no text of its own, so it speaks whatever language the person does."""

from __future__ import annotations

from django.utils.translation import gettext as _


def widget_texts() -> dict[str, str]:
    return {
        "launcher": _("Help and news"),
        "panel": _("Guidance, news and ideas"),
        "close": _("Close"),
        "checklist": _("Getting started"),
        "whats_new": _("What's new"),
        "ideas": _("Ideas"),
        "open_step": _("Show me"),
        "done": _("Done"),
        "not_done": _("Not done yet"),
        "no_entries": _("Nothing new yet."),
        "read_more": _("Read more"),
        "new": _("New"),
        "unread": _("unread"),
        "search": _("Search ideas"),
        "search_button": _("Search"),
        "no_ideas": _("No ideas match."),
        "vote": _("Vote"),
        "voted": _("Voted"),
        "votes": _("votes"),
        "follow": _("Follow"),
        "following": _("Following"),
        "post_title": _("Your idea"),
        "post_description": _("Details (optional)"),
        "post": _("Post idea"),
        "posted": _("Thank you: your idea is posted."),
        "similar": _("Similar ideas"),
        "dismiss": _("Dismiss"),
        "error": _("Something went wrong. Try again later."),
    }
