"""The idea board and the PM triage view."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.roles import ALL_ROLES, Role
from csplatform.access import allow


@allow(ALL_ROLES)
def board(request: HttpRequest) -> HttpResponse:
    return render(request, "feedback/board.html")


@allow(Role.PM, Role.ADMIN)
def triage(request: HttpRequest) -> HttpResponse:
    return render(request, "feedback/triage.html")
