from django.urls import path

from core.access import public
from roadmap import views
from roadmap.views import editor as editor_views
from roadmap.views.feeds import ChangelogFeed

app_name = "roadmap"

urlpatterns = [
    path("roadmap/", views.public_roadmap, name="public"),
    path("changelog/", views.changelog, name="changelog"),
    path("changelog/feed/", public(ChangelogFeed()), name="feed"),
    path("changelog/<int:pk>/", views.changelog_entry, name="changelog_entry"),
    # The product managers' editor.
    path("roadmap/edit/", editor_views.editor, name="editor"),
    path("roadmap/edit/new/", editor_views.item_new, name="item_new"),
    path("roadmap/edit/ideas/", editor_views.idea_search, name="idea_search"),
    path("roadmap/edit/<int:pk>/", editor_views.item_edit, name="item_edit"),
    path("roadmap/edit/<int:pk>/move/", editor_views.item_move, name="item_move"),
    path("roadmap/edit/link-idea/", editor_views.link_idea, name="link_idea"),
    path("roadmap/edit/<int:pk>/publish/", editor_views.item_publish, name="item_publish"),
    path("roadmap/edit/<int:pk>/delete/", editor_views.item_delete, name="item_delete"),
    path("roadmap/edit/undo/<uuid:token>/", editor_views.item_undo, name="item_undo"),
]
