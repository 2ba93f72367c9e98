from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("", views.jobs, name="jobs"),
    path("recompute/", views.jobs_recompute_all, name="jobs_recompute_all"),
]
