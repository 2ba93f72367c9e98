"""URL namespace of healthscores (mounted at /health/)."""

from django.urls import path

from healthscores.views import lists

app_name = "healthscores"

urlpatterns = [
    path("divergence/", lists.divergence, name="divergence"),
]
