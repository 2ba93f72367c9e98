from django.urls import path

from productrisk.views import flags

app_name = "productrisk"

urlpatterns = [
    path("", flags.risks, name="risks"),
    path("mine/", flags.my_risks, name="my_risks"),
    path("rule/", flags.risk_rule_edit, name="rule"),
    path("impact/", flags.risk_impact, name="impact"),
    path("<int:pk>/", flags.risk_detail, name="risk"),
    path("<int:pk>/acknowledge/", flags.risk_acknowledge, name="acknowledge"),
    path("<int:pk>/dismiss/", flags.risk_dismiss, name="dismiss"),
    path("<int:pk>/reopen/", flags.risk_reopen, name="reopen"),
]
