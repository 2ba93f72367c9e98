from django.urls import path

from feedback import views

app_name = "feedback"

urlpatterns = [
    path("", views.board, name="board"),
    path("<int:pk>/", views.idea_detail, name="idea"),
    path("triage/", views.triage, name="triage"),
]
