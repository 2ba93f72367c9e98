"""URL namespace of ttfv; its pages arrive with the app's own issue."""

app_name = "ttfv"

urlpatterns: list = []
