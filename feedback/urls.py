from django.urls import path

from feedback import views

app_name = "feedback"

urlpatterns = [
    path("", views.board, name="board"),
    path("triage/", views.triage, name="triage"),
]
