"""The beat schedule: defaults in code, each entry overridable or disabled by env."""

from datetime import timedelta

import pytest

from csplatform.beat import DEFAULT_ENTRIES, BeatEntry, build_schedule
from csplatform.env import ConfigError, Env

ENTRY = BeatEntry(
    "recompute-health", "healthscores.tasks.recompute_health_all", "15 2 * * *", timedelta(hours=23)
)


def test_default_entry_runs_nightly_and_expires_before_the_next_run():
    schedule = build_schedule([ENTRY], Env({}))["recompute-health"]
    assert schedule["task"] == "healthscores.tasks.recompute_health_all"
    assert schedule["schedule"].hour == {2}
    assert schedule["schedule"].minute == {15}
    assert schedule["options"]["expires"] == 23 * 3600


def test_env_overrides_the_cron_expression():
    schedule = build_schedule([ENTRY], Env({"BEAT_RECOMPUTE_HEALTH": "0 */6 * * *"}))
    assert schedule["recompute-health"]["schedule"].hour == {0, 6, 12, 18}


def test_off_disables_the_entry():
    assert build_schedule([ENTRY], Env({"BEAT_RECOMPUTE_HEALTH": "off"})) == {}


@pytest.mark.parametrize("bad", ["0 2 * *", "99 2 * * *"])
def test_bad_cron_stops_with_the_variable_name(bad):
    with pytest.raises(ConfigError, match="BEAT_RECOMPUTE_HEALTH"):
        build_schedule([ENTRY], Env({"BEAT_RECOMPUTE_HEALTH": bad}))


def test_every_default_entry_names_a_registered_task():
    from csplatform.celery import app

    app.loader.import_default_modules()
    for entry in DEFAULT_ENTRIES:
        assert entry.task in app.tasks
