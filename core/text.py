"""Which characters text may hold, for every door: pages, API, imports and tracking.

PostgreSQL refuses a NUL in text outright (a 500 if it reaches the database), e-mail
refuses a line break in a header (a title becomes a subject), and other control
characters only ever arrive by accident or by attack. So a one-line value (a title, a
name, a tag, an ID) holds no control character at all, and a multi-line one (a
description, a comment, a note) holds only tab and line breaks.

The patterns are plain ``re`` so the same rule serves a form field, a serializer field,
a parsed JSON body and a pandas column (``Series.str.contains(pattern)``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

#: C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
SINGLE_LINE_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
#: The same, less tab, line feed and carriage return.
MULTI_LINE_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def has_forbidden(value: str, *, single_line: bool) -> bool:
    pattern = SINGLE_LINE_FORBIDDEN if single_line else MULTI_LINE_FORBIDDEN
    return pattern.search(value) is not None


@deconstructible
class PlainText:
    """A validator for model, form and serializer fields; the error says which kind of
    character is wrong so a person can find it."""

    code = "control_characters"

    def __init__(self, *, single_line: bool = True) -> None:
        self.single_line = single_line

    def __call__(self, value: Any) -> None:
        if not isinstance(value, str) or not has_forbidden(value, single_line=self.single_line):
            return
        if self.single_line and re.search("[\r\n\u2028\u2029]", value):
            message = _("Must be on one line.")
        else:
            message = _("Must not contain control characters.")
        raise ValidationError(message, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlainText) and other.single_line == self.single_line

    def __hash__(self) -> int:
        return hash((type(self), self.single_line))


single_line = PlainText(single_line=True)
multi_line = PlainText(single_line=False)


def one_line(value: str) -> str:
    """``value`` made safe for a one-line place such as an e-mail subject: controls and
    line breaks become spaces, runs of space one. For text we did not accept from a
    person just now (stored before this rule, or built from names), never a refusal."""
    return " ".join(SINGLE_LINE_FORBIDDEN.sub(" ", value).split())


def forbidden_paths(data: Any, path: str = "") -> Iterator[str]:
    """The dotted paths (``tags.0``, ``properties.plan``) of the strings in a parsed
    JSON value, or of its keys, that hold a character no text field may hold.

    Only what no field accepts is refused here (the multi-line rule); a field that must
    be one line says so itself, through ``single_line``.
    """
    if isinstance(data, str):
        if has_forbidden(data, single_line=False):
            yield path or "body"
    elif isinstance(data, dict):
        for key, value in data.items():
            child = f"{path}.{key}" if path else str(key)
            if has_forbidden(str(key), single_line=False):
                yield child
            else:
                yield from forbidden_paths(value, child)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from forbidden_paths(value, f"{path}.{index}" if path else str(index))
