"""Onboarding pages, mounted at /onboarding/."""

from django.urls import path

from ttfv.views import account, dashboard

app_name = "ttfv"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path(
        "accounts/<int:account_id>/milestones/<int:milestone_id>/check/",
        account.milestone_check,
        name="check",
    ),
    path(
        "accounts/<int:account_id>/milestones/<int:milestone_id>/uncheck/",
        account.milestone_uncheck,
        name="uncheck",
    ),
    path("accounts/<int:account_id>/start/", account.onboarding_start, name="start"),
    path("accounts/<int:account_id>/compute/", account.onboarding_compute, name="compute"),
]
