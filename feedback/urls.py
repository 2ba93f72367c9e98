from django.urls import path

from feedback.views import (
    board,
    on_behalf,
    participation,
    triage,
    triage_merge,
    triage_tickets,
)

app_name = "feedback"

urlpatterns = [
    path("", board.board, name="board"),
    path("<int:pk>/", board.idea_detail, name="idea"),
    path("triage/", triage.triage, name="triage"),
    path("<int:pk>/status/", triage.idea_status, name="idea_status"),
    path("<int:pk>/duplicates/", triage.duplicates, name="duplicates"),
    path("<int:pk>/merge/", triage_merge.merge, name="merge"),
    path("<int:pk>/tickets/", triage_tickets.idea_tickets, name="idea_tickets"),
    path("tickets/<int:ticket_pk>/", triage_tickets.ticket_ideas, name="ticket_ideas"),
    path("new/", board.idea_new, name="idea_new"),
    path("similar/", board.similar, name="similar"),
    path("<int:pk>/edit/", board.idea_edit, name="idea_edit"),
    path("<int:pk>/vote/", participation.vote, name="vote"),
    path("<int:pk>/vote-on-behalf/", on_behalf.vote_on_behalf, name="vote_on_behalf"),
    path("<int:pk>/follow/", participation.follow, name="follow"),
    path("<int:pk>/comment/", participation.comment, name="comment"),
    path("<int:pk>/comments/", board.comments, name="comments"),
]
