from django.urls import path

from widget import views
from widget.api import endpoints as api

app_name = "widget"

urlpatterns = [
    path("settings/", views.settings_page, name="settings"),
    path("settings/origins/", views.origin_add, name="origin_add"),
    path("settings/origins/<int:pk>/remove/", views.origin_remove, name="origin_remove"),
    path("settings/look/", views.settings_look, name="settings_look"),
    path("settings/preview/", views.settings_preview, name="settings_preview"),
    path("demo/", views.demo_page, name="demo"),
    path("api/session/", api.SessionView.as_view(), name="api-session"),
    path("api/config/", api.ConfigView.as_view(), name="api-config"),
    path("api/checklist/", api.ChecklistView.as_view(), name="api-checklist"),
    path("api/whats-new/", api.WhatsNewView.as_view(), name="api-whats-new"),
    path("api/whats-new/read/", api.WhatsNewReadView.as_view(), name="api-whats-new-read"),
    path("api/ideas/", api.IdeasView.as_view(), name="api-ideas"),
    path("api/ideas/similar/", api.SimilarIdeasView.as_view(), name="api-ideas-similar"),
    path("api/ideas/<int:pk>/vote/", api.IdeaVoteView.as_view(), name="api-idea-vote"),
    path("api/ideas/<int:pk>/follow/", api.IdeaFollowView.as_view(), name="api-idea-follow"),
    path("api/nudge/", api.NudgeView.as_view(), name="api-nudge"),
    path("api/nudge/dismiss/", api.NudgeDismissView.as_view(), name="api-nudge-dismiss"),
    path("api/events/", api.EventsView.as_view(), name="api-events"),
]
