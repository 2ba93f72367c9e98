"""Onboarding pages, mounted at /onboarding/."""

from django.urls import path

from ttfv.views import account, dashboard, guidance, reports, templates

app_name = "ttfv"

urlpatterns = [
    path("templates/", templates.template_list, name="templates"),
    path("templates/new/", templates.template_create, name="template_create"),
    path("templates/<int:template_id>/", templates.template_edit, name="template"),
    path("templates/<int:template_id>/delete/", templates.template_delete, name="template_delete"),
    path("", dashboard.dashboard, name="dashboard"),
    path("reports/", reports.reports, name="reports"),
    path("guidance/", guidance.guidance, name="guidance"),
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
