"""The in-app widget in the demo: the stand-in vendor page (``/widget/demo/``, served by
this installation itself) is an allowed origin, so the widget runs on it at once."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError

from accounts.models import User
from widget.models import AllowedOrigin
from widget.services import origin_add, origin_normalise


def seed_widget(*, admin: User) -> None:
    try:
        origin = origin_normalise(settings.SITE_URL)
    except ValidationError:
        return  # a SITE_URL over http on a public name: the admin allows origins by hand
    if not AllowedOrigin.objects.filter(origin=origin).exists():
        origin_add(actor=admin, origin=origin)
