"""The idea board and an idea's page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.roles import ALL_ROLES
from csplatform.access import allow
from feedback.models import Idea


@allow(ALL_ROLES)
def board(request: HttpRequest) -> HttpResponse:
    return render(request, "feedback/board.html")


@allow(ALL_ROLES)
def idea_detail(request: HttpRequest, pk: int) -> HttpResponse:
    idea = get_object_or_404(Idea.objects.visible_to(request.user), pk=pk)
    return render(request, "feedback/idea_detail.html", {"idea": idea})
