from django.urls import path

from feedback.views import board, risk, triage

app_name = "feedback"

urlpatterns = [
    path("", board.board, name="board"),
    path("<int:pk>/", board.idea_detail, name="idea"),
    path("triage/", triage.triage, name="triage"),
    path("risks/", risk.risks, name="risks"),
    path("risks/mine/", risk.my_risks, name="my_risks"),
    path("risks/rule/", risk.risk_rule_edit, name="risk_rule"),
    path("risks/impact/", risk.risk_impact, name="risk_impact"),
    path("risks/<int:pk>/", risk.risk_detail, name="risk"),
    path("risks/<int:pk>/acknowledge/", risk.risk_acknowledge, name="risk_acknowledge"),
    path("risks/<int:pk>/dismiss/", risk.risk_dismiss, name="risk_dismiss"),
    path("risks/<int:pk>/reopen/", risk.risk_reopen, name="risk_reopen"),
]
