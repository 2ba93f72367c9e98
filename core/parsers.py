"""The REST API's JSON parser, in a module of its own.

REST framework reads ``DEFAULT_PARSER_CLASSES`` while it defines ``APIView``, so the
parser's module must not import ``rest_framework.views``: in a process whose first use of
the API settings is not a view (a Celery worker running Django's checks) that import
would be circular and the worker would not start.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser

from core import text


class PlainTextJSONParser(JSONParser):
    """JSON bodies whose strings hold no control character (``core.text``), refused
    with a 400 naming each field, before a NUL can reach PostgreSQL as a 500.

    Tracking batches use their own parser: one bad message must not refuse its batch.
    """

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        data = super().parse(stream, media_type, parser_context)
        bad = list(text.forbidden_paths(data))
        if bad:
            message = _("Must not contain control characters.")
            raise ValidationError({path: [message] for path in bad})
        return data
