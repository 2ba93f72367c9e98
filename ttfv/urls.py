"""URL namespace of ttfv, mounted at /onboarding/."""

from django.urls import path

from ttfv.views import templates

app_name = "ttfv"

urlpatterns: list = [
    path("templates/", templates.template_list, name="templates"),
    path("templates/new/", templates.template_create, name="template_create"),
    path("templates/<int:template_id>/", templates.template_edit, name="template"),
    path("templates/<int:template_id>/delete/", templates.template_delete, name="template_delete"),
]
