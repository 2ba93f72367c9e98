from django.urls import path

from feedback.views import board, triage, triage_merge, triage_tickets

app_name = "feedback"

urlpatterns = [
    path("", board.board, name="board"),
    path("<int:pk>/", board.idea_detail, name="idea"),
    path("triage/", triage.triage, name="triage"),
    path("<int:pk>/status/", triage.idea_status, name="idea_status"),
    path("<int:pk>/merge/", triage_merge.merge, name="merge"),
    path("<int:pk>/tickets/", triage_tickets.idea_tickets, name="idea_tickets"),
    path("tickets/<int:ticket_pk>/", triage_tickets.ticket_ideas, name="ticket_ideas"),
]
