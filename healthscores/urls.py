"""URL namespace of healthscores; its pages arrive with the app's own issue."""

app_name = "healthscores"

urlpatterns: list = []
