from django.urls import path

from notifications.views import inbox

app_name = "notifications"

urlpatterns = [
    path("", inbox.alert_list, name="inbox"),
    path("<int:alert_id>/acknowledge/", inbox.alert_acknowledge, name="acknowledge"),
    path("acknowledge-all/", inbox.alert_acknowledge_all, name="acknowledge_all"),
]
