from django.urls import path

from roadmap import views

app_name = "roadmap"

urlpatterns = [
    path("roadmap/", views.public_roadmap, name="public"),
    path("changelog/", views.changelog, name="changelog"),
]
