"""Routes whose views forgot to declare a policy, for the deny-by-default test."""

from django.http import HttpResponse
from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from csplatform import urls as csplatform_urls


def forgotten(request):
    return HttpResponse("should never be served")


class ForgottenAPI(APIView):
    def get(self, request):
        return Response({"secret": True})


urlpatterns = [
    *csplatform_urls.urlpatterns,
    path("undeclared/", forgotten),
    path("undeclared-api/", ForgottenAPI.as_view()),
]
