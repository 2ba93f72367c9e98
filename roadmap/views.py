"""The public roadmap and changelog: the only product pages open to anonymous visitors."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from csplatform.access import public


@public
def public_roadmap(request: HttpRequest) -> HttpResponse:
    return render(request, "roadmap/public_roadmap.html")


@public
def changelog(request: HttpRequest) -> HttpResponse:
    return render(request, "roadmap/changelog.html")
