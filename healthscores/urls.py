"""URL namespace of healthscores (mounted under /health/)."""

from django.urls import path

from healthscores.views import account

app_name = "healthscores"

urlpatterns = [
    path("accounts/<int:account_id>/sentiment/", account.sentiment, name="sentiment"),
    path("accounts/<int:account_id>/override/", account.override, name="override"),
    path("accounts/<int:account_id>/override/end/", account.override_end, name="override_end"),
]
