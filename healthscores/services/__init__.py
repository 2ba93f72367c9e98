"""Writes of health scores, one module per concern; import the functions from here."""

from healthscores.engine import default_scorecard_ensure
from healthscores.services.history import history_write
from healthscores.services.inputs import override_end, override_set, sentiment_set
from healthscores.services.recompute import (
    JOB_KIND,
    recompute_create,
    recompute_history,
    recompute_now,
    recompute_request,
    today_utc,
)
from healthscores.services.replay import JOB_KIND as REPLAY_JOB_KIND
from healthscores.services.replay import scorecard_replay_cancel, scorecard_replay_request
from healthscores.services.scorecards import (
    EditorData,
    MeasureDraft,
    ScorecardDraft,
    ScorecardsOverview,
    draft_apply,
    draft_from_json,
    draft_of,
    known_events,
    scorecard_accounts,
    scorecard_backfill,
    scorecard_create,
    scorecard_delete,
    scorecard_editor_data,
    scorecard_preview,
    scorecard_save,
    scorecard_snapshot_count,
    scorecards_overview,
)

__all__ = [
    "JOB_KIND",
    "REPLAY_JOB_KIND",
    "EditorData",
    "MeasureDraft",
    "ScorecardDraft",
    "ScorecardsOverview",
    "default_scorecard_ensure",
    "draft_apply",
    "draft_from_json",
    "draft_of",
    "history_write",
    "known_events",
    "override_end",
    "override_set",
    "recompute_create",
    "recompute_history",
    "recompute_now",
    "recompute_request",
    "scorecard_accounts",
    "scorecard_backfill",
    "scorecard_create",
    "scorecard_delete",
    "scorecard_editor_data",
    "scorecard_preview",
    "scorecard_replay_cancel",
    "scorecard_replay_request",
    "scorecard_save",
    "scorecard_snapshot_count",
    "scorecards_overview",
    "sentiment_set",
    "today_utc",
]
