"""The project's routes and error handlers, plus views that fail on purpose: under
``/api/`` and elsewhere, to see which answer each failure gets."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from core.access import public
from csplatform import urls as csplatform_urls

handler400 = csplatform_urls.handler400
handler403 = csplatform_urls.handler403
handler404 = csplatform_urls.handler404
handler500 = csplatform_urls.handler500


@public
def explode(request):
    raise RuntimeError("a bug")


@public
def suspicious(request):
    raise SuspiciousOperation("a forged request")


@public
def forbidden(request):
    raise PermissionDenied


failing = [
    path("explode/", explode),
    path("suspicious/", suspicious),
    path("forbidden/", forbidden),
]

urlpatterns = [
    *[path(f"api/{route.pattern}", route.callback) for route in failing],
    *[path(f"page/{route.pattern}", route.callback) for route in failing],
    *csplatform_urls.urlpatterns,
]
