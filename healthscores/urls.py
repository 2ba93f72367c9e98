"""URL namespace of healthscores (mounted under /health/)."""

from django.urls import path

from healthscores.views import account, backtest, lists, scorecards

app_name = "healthscores"

urlpatterns = [
    path("accounts/<int:account_id>/sentiment/", account.sentiment, name="sentiment"),
    path("accounts/<int:account_id>/override/", account.override, name="override"),
    path("accounts/<int:account_id>/override/end/", account.override_end, name="override_end"),
    path("accounts/<int:account_id>/why/", account.why_changed, name="why_changed"),
    path("scorecards/", scorecards.scorecard_list, name="scorecards"),
    path("scorecards/new/", scorecards.scorecard_create, name="scorecard_create"),
    path("scorecards/<int:scorecard_id>/", scorecards.scorecard_edit, name="scorecard"),
    path(
        "scorecards/<int:scorecard_id>/preview/",
        scorecards.scorecard_preview,
        name="scorecard_preview",
    ),
    path(
        "scorecards/<int:scorecard_id>/previews/<int:job_id>/",
        scorecards.scorecard_replay,
        name="scorecard_replay",
    ),
    path(
        "scorecards/<int:scorecard_id>/previews/<int:job_id>/cancel/",
        scorecards.scorecard_replay_cancel,
        name="scorecard_replay_cancel",
    ),
    path(
        "scorecards/<int:scorecard_id>/backfill/",
        scorecards.scorecard_backfill,
        name="scorecard_backfill",
    ),
    path(
        "scorecards/<int:scorecard_id>/delete/",
        scorecards.scorecard_delete,
        name="scorecard_delete",
    ),
    path("divergence/", lists.divergence, name="divergence"),
    path("backtest/", backtest.backtest_report, name="backtest"),
]
