"""The provider's addresses: OpenID Connect under /o/ (issuer http://127.0.0.1:PORT/o),
its sign-in page, and the directory the tests manage."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import include, path

from tests.oidc_provider import directory

urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("directory/people/<str:username>/", directory.person),
    path("directory/clients/<str:client_id>/", directory.client),
]
