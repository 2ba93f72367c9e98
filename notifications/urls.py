from django.urls import path

from notifications.views import inbox, preferences

app_name = "notifications"

urlpatterns = [
    path("", inbox.alert_list, name="inbox"),
    path("<int:alert_id>/acknowledge/", inbox.alert_acknowledge, name="acknowledge"),
    path("acknowledge-all/", inbox.alert_acknowledge_all, name="acknowledge_all"),
    path("settings/", preferences.preferences_edit, name="preferences"),
    path("unsubscribe/<str:token>/", preferences.unsubscribe, name="unsubscribe"),
]
