"""The provider's directory as the tests change it: people, their groups, the client.

An administrator would do this in Okta's console; the tests do it over HTTP with a token
only the harness knows, so the provider process stays the single owner of its database.
"""

from __future__ import annotations

import json
import os

from django.contrib.auth.models import Group, User
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.models import Application


def _allowed(request: HttpRequest) -> bool:
    return request.headers.get("Authorization") == f"Bearer {os.environ['OIDC_PROVIDER_TOKEN']}"


@csrf_exempt
def person(request: HttpRequest, username: str) -> HttpResponse:
    """PUT sets a person (password, e-mail, name, groups, active); DELETE removes them."""
    if not _allowed(request):
        return HttpResponse(status=403)
    if request.method == "DELETE":
        User.objects.filter(username=username).delete()
        return HttpResponse(status=204)
    if request.method != "PUT":
        return HttpResponse(status=405)
    data = json.loads(request.body)
    user, _created = User.objects.get_or_create(username=username)
    user.email = data["email"]
    user.first_name = data.get("name", "")
    user.is_active = data.get("active", True)
    user.set_password(data["password"])
    user.save()
    user.groups.set([Group.objects.get_or_create(name=name)[0] for name in data.get("groups", [])])
    return JsonResponse({"sub": str(user.pk)})


@csrf_exempt
def client(request: HttpRequest, client_id: str) -> HttpResponse:
    """PUT registers csplatform as a confidential client with its redirect URIs."""
    if not _allowed(request):
        return HttpResponse(status=403)
    if request.method != "PUT":
        return HttpResponse(status=405)
    data = json.loads(request.body)
    Application.objects.filter(client_id=client_id).delete()
    Application.objects.create(
        client_id=client_id,
        client_secret=data["secret"],
        name=data.get("name", "csplatform"),
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(data["redirect_uris"]),
        algorithm=Application.RS256_ALGORITHM,
    )
    return HttpResponse(status=204)
