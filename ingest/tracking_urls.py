"""The Segment-compatible tracking API, at the root like Segment's own (``/v1/...``).

Both ``/v1/batch`` and ``/v1/batch/`` are accepted: libraries post without the slash,
and a redirect would lose the body.
"""

from django.urls import re_path

from ingest.api import tracking

app_name = "tracking"

urlpatterns = [
    re_path(r"^v1/batch/?$", tracking.batch, name="batch"),
    re_path(r"^v1/import/?$", tracking.batch, name="import"),  # Segment's alias of batch
    re_path(r"^v1/track/?$", tracking.track, name="track"),
    re_path(r"^v1/identify/?$", tracking.identify, name="identify"),
    re_path(r"^v1/group/?$", tracking.group, name="group"),
]
