"""Shared REST framework pieces: pagination and an error handler that always answers JSON."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.pagination import PageNumberPagination
from rest_framework.views import exception_handler as drf_exception_handler


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


def exception_handler(exc, context):
    """DRF's handler, plus a ``detail`` body for the few errors it leaves empty."""
    response = drf_exception_handler(exc, context)
    if response is not None and response.data in (None, "", {}):
        response.data = {"detail": _("The request could not be processed.")}
    return response
