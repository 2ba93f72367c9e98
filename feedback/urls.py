from django.urls import path

from feedback.views import board, triage

app_name = "feedback"

urlpatterns = [
    path("", board.board, name="board"),
    path("<int:pk>/", board.idea_detail, name="idea"),
    path("triage/", triage.triage, name="triage"),
]
