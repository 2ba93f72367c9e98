"""URL namespace of ttfv, mounted at /onboarding/."""

from django.urls import path

from ttfv.views import reports

app_name = "ttfv"

urlpatterns: list = [
    path("reports/", reports.reports, name="reports"),
]
