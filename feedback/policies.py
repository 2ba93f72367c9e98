"""Who may do what on the board, and the limits of what they write: each rule once.

The services enforce these (they raise PermissionDenied or ValidationError), the pages
use them to decide which buttons to show, and the forms and the API's serializers take
their length limits from here, so a page, the API and a test can never disagree.
Pure: decisions about a user and an idea as given, no queries.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from core import text
from core.roles import PRODUCT_ROLES, STAFF_ROLES, Role
from feedback.statuses import VOTABLE_STATUSES, IdeaStatus

#: Lengths of what people write, the same on the pages and in the API.
TITLE_MIN = 5
TITLE_MAX = 160  # the column's length (Idea.title)
DESCRIPTION_MAX = 10_000
COMMENT_MAX = 5_000
NOTE_MAX = 1_000


def normalise_title(title: str) -> str:
    """A title as stored: surrounding space gone, runs of spaces and line breaks one space."""
    return " ".join(title.split())


def clean_language(language: str) -> str:
    """An idea's language: one of the installation's ``LANGUAGES``, or a ValidationError.

    Left blank, the language people are reading the site in when they post (their
    saved preference, cookie or browser, as the locale middleware chose it): that is the
    language they most likely write in. Search stems the idea with its rules.
    """
    if not language:
        active = translation.get_language() or settings.LANGUAGE_CODE
        try:
            return translation.get_supported_language_variant(active)
        except LookupError:
            return settings.LANGUAGE_CODE
    codes = [code for code, _name in settings.LANGUAGES]
    if language not in codes:
        raise ValidationError(
            _("Unknown language “%(language)s”: use one of %(codes)s.")
            % {"language": language, "codes": ", ".join(codes)},
            code="invalid_choice",
        )
    return language


def clean_title(title: str) -> str:
    """A title as given, checked and normalised, or a ValidationError saying why.

    A title travels into e-mail subjects and notifications, so a line break or another
    control character is refused rather than silently joined: what was pasted is
    probably not what the person meant to post.
    """
    text.single_line(title.strip())
    title = normalise_title(title)
    if len(title) < TITLE_MIN:
        raise ValidationError(title_too_short(), code="min_length")
    return title


def title_too_short() -> str:
    """Why a title is refused as too short, in the reader's language: the page, the API's
    own length check and the service give the same sentence."""
    return _("A title needs at least %(min)d characters.") % {"min": TITLE_MIN}


def is_staff(user: Any) -> bool:
    """The vendor's team: CSMs, product managers and admins."""
    return bool(user is not None and user.is_authenticated and user.role in STAFF_ROLES)


def may_edit(user: Any, idea: Any) -> bool:
    """PMs and admins edit any idea; its author only while it is still open, so that
    nobody rewrites a request after the product team has answered it. Nobody edits a
    merged idea: it lives on only as a redirect."""
    if idea.status == IdeaStatus.MERGED:
        return False
    if user.role in PRODUCT_ROLES:
        return True
    return bool(idea.author_id is not None and idea.author_id == user.pk) and (
        idea.status == IdeaStatus.OPEN
    )


def may_comment_publicly(user: Any, idea: Any) -> bool:
    """Customers comment while the idea takes votes; staff may still answer on a shipped
    or declined one. Nobody comments on a merged idea: the talk moved to its target."""
    if idea.status == IdeaStatus.MERGED:
        return False
    return is_staff(user) or idea.status in VOTABLE_STATUSES


def may_vote_for_themself(user: Any) -> bool:
    """A customer votes as their own contact; staff never vote for themselves."""
    return user.role == Role.CUSTOMER and user.contact_id is not None


def may_vote_on_behalf(user: Any) -> bool:
    """The vendor's team adds votes for contacts heard on calls and in tickets."""
    return is_staff(user)


def display_name(person: Any, *, viewer: Any) -> str:
    """How a person who wrote something appears to ``viewer``, on every page and in the
    API alike.

    Staff see full names. Customers see another customer by first name only (never the
    username, which is often an e-mail address) and the vendor's staff by first name.
    """
    if person is None:
        return _("Former user")
    if viewer.role != Role.CUSTOMER:
        return person.get_full_name() or person.username
    if person.pk == viewer.pk:
        return _("You")
    if person.role == Role.CUSTOMER:
        return person.first_name or _("A customer")
    return person.first_name or _("Team member")
