"""The PM triage view."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.roles import Role
from csplatform.access import allow


@allow(Role.PM, Role.ADMIN)
def triage(request: HttpRequest) -> HttpResponse:
    return render(request, "feedback/triage.html")
