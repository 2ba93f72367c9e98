"""The scorecard editor (admin): list, create, validate, preview, save, backfill, delete."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import jobs
from core.models import Job
from healthscores import services
from healthscores.forms import measure_initial
from healthscores.measures import MEASURES
from healthscores.models import AccountHealth, HealthSnapshot, Scorecard, ScorecardVersion
from tests.accounts.factories import (
    AccountFactory,
    DailyUsageFactory,
    SurveyResponseFactory,
)
from tests.actors import ACTORS


@pytest.fixture
def default(db) -> Scorecard:
    return Scorecard.objects.get(segment="")


def editor_post(scorecard: Scorecard, **changes) -> dict:
    """What the editor submits unchanged for ``scorecard``, with ``changes`` applied."""
    rows = measure_initial(list(scorecard.measures.all()))
    data: dict = {
        "name": scorecard.name,
        "red_below": scorecard.red_below,
        "green_from": scorecard.green_from,
        "key_events": list(scorecard.key_events),
        "other_events": "",
        "sentiment_stale_days": scorecard.sentiment_stale_days,
        "version": scorecard.version,
        "measures-TOTAL_FORMS": len(rows),
        "measures-INITIAL_FORMS": len(rows),
        "measures-MIN_NUM_FORMS": 0,
        "measures-MAX_NUM_FORMS": 100,
    }
    for index, row in enumerate(rows):
        prefix = f"measures-{index}"
        data[f"{prefix}-kind"] = row["kind"]
        if row["enabled"]:
            data[f"{prefix}-enabled"] = "on"
        data[f"{prefix}-weight"] = row["weight"]
        data[f"{prefix}-direction"] = row["direction"]
        data[f"{prefix}-position"] = row["position"]
        data[f"{prefix}-raw"] = [str(raw) for raw, _score in row["points"]]
        data[f"{prefix}-score"] = [str(score) for _raw, score in row["points"]]
    data.update(changes)
    return data


def prefix_of(data: dict, kind: str) -> str:
    return next(key[: -len("-kind")] for key, value in data.items() if value == kind)


def _edit_url(scorecard: Scorecard) -> str:
    return reverse("healthscores:scorecard", args=[scorecard.pk])


# --- Validation: one message per bad input, on the field or row that has it ----------


def _post_invalid(client, scorecard, data) -> str:
    response = client.post(_edit_url(scorecard), data)
    assert response.status_code == 400
    scorecard.refresh_from_db()
    assert scorecard.version == 1, "nothing may be saved"
    return response.content.decode()


def test_red_above_green_is_refused_on_the_green_field(client_for, admin_user, default):
    html = _post_invalid(
        client_for(admin_user), default, editor_post(default, red_below=80, green_from=60)
    )
    assert "Green must start at or above where red ends (80)." in html
    assert 'id="id_green_from_error"' in html


@pytest.mark.parametrize(
    ("field", "value"), [("red_below", -1), ("green_from", 101), ("red_below", "lots")]
)
def test_bands_are_scores_from_0_to_100(client_for, admin_user, default, field, value):
    html = _post_invalid(client_for(admin_user), default, editor_post(default, **{field: value}))
    assert "from 0 to 100" in html
    assert f'id="id_{field}_error"' in html


def _with_points(data: dict, kind: str, raws: list[str], scores: list[str]) -> dict:
    prefix = prefix_of(data, kind)
    return {**data, f"{prefix}-raw": raws, f"{prefix}-score": scores}


def test_raw_values_not_ascending_are_marked_on_their_row(client_for, admin_user, default):
    data = editor_post(default)
    prefix = prefix_of(data, "nps")
    data = _with_points(data, "nps", ["0", "8", "6", "10"], ["0", "40", "70", "100"])
    html = _post_invalid(client_for(admin_user), default, data)
    assert "Raw values must go up: 6 comes after 8." in html
    assert f'id="{prefix}-row-2-error"' in html
    assert f'id="{prefix}-row-1-error"' not in html
    assert "Fix the thresholds marked below." in html


def test_score_above_100_is_marked_on_its_row(client_for, admin_user, default):
    data = editor_post(default)
    prefix = prefix_of(data, "nps")
    data = _with_points(data, "nps", ["0", "10"], ["0", "120"])
    html = _post_invalid(client_for(admin_user), default, data)
    assert "Scores are between 0 and 100; 120 is not." in html
    assert f'id="{prefix}-row-1-error"' in html


def test_scores_must_not_fall_when_higher_is_better(client_for, admin_user, default):
    data = _with_points(editor_post(default), "nps", ["0", "5", "10"], ["0", "60", "50"])
    html = _post_invalid(client_for(admin_user), default, data)
    assert "Higher is better: the score must not fall as the raw value rises (50 after 60)." in html


def test_scores_must_not_rise_when_lower_is_better(client_for, admin_user, default):
    data = editor_post(default)
    prefix = prefix_of(data, "nps")
    data = _with_points(data, "nps", ["0", "5", "10"], ["100", "40", "70"])
    data[f"{prefix}-direction"] = "lower"
    html = _post_invalid(client_for(admin_user), default, data)
    assert "Lower is better: the score must not rise as the raw value rises (70 after 40)." in html


def test_fewer_than_two_thresholds_are_refused(client_for, admin_user, default):
    # The blank rows the editor always offers are ignored, not counted.
    data = _with_points(editor_post(default), "nps", ["5", "", ""], ["50", "", ""])
    html = _post_invalid(client_for(admin_user), default, data)
    assert "Give at least two thresholds: raw value and score." in html


def test_a_threshold_that_is_not_a_number_is_marked(client_for, admin_user, default):
    data = _with_points(editor_post(default), "nps", ["0", "ten"], ["0", "100"])
    html = _post_invalid(client_for(admin_user), default, data)
    assert "Enter the raw value as a number." in html


def test_negative_weight_is_refused_next_to_the_weight(client_for, admin_user, default):
    data = editor_post(default)
    prefix = prefix_of(data, "nps")
    html = _post_invalid(client_for(admin_user), default, {**data, f"{prefix}-weight": "-5"})
    assert "A weight can&#x27;t be negative." in html
    assert f'id="id_{prefix}-weight_error"' in html


def test_unknown_measure_kind_is_refused(client_for, admin_user, default):
    data = editor_post(default)
    total = data["measures-TOTAL_FORMS"]
    data.update(
        {
            "measures-TOTAL_FORMS": total + 1,
            f"measures-{total}-kind": "churn_crystal_ball",
            f"measures-{total}-enabled": "on",
            f"measures-{total}-weight": "10",
            f"measures-{total}-direction": "higher",
            f"measures-{total}-raw": ["0", "1"],
            f"measures-{total}-score": ["0", "100"],
        }
    )
    html = _post_invalid(client_for(admin_user), default, data)
    assert "Unknown measure “churn_crystal_ball”" in html


def test_all_weights_zero_is_refused(client_for, admin_user, default):
    data = editor_post(default)
    for key in [k for k in data if k.endswith("-weight")]:
        data[key] = "0"
    html = _post_invalid(client_for(admin_user), default, data)
    assert "at least one measure with a weight above 0" in html


def test_unticked_measure_rows_are_not_validated(client_for, admin_user, default):
    """A measure left off the scorecard may hold anything: it is not saved."""
    data = editor_post(default)
    prefix = prefix_of(data, "nps")
    del data[f"{prefix}-enabled"]
    data = _with_points(data, "nps", ["9", "1"], ["500", "0"])
    response = client_for(admin_user).post(_edit_url(default), data)
    assert response.status_code == 302
    assert "nps" not in set(default.measures.values_list("kind", flat=True))


# --- Saving ---------------------------------------------------------------------------


def test_save_bumps_the_version_records_it_and_queues_todays_recompute(
    client_for, admin_user, default, django_capture_on_commit_callbacks
):
    data = editor_post(default, name="Everyone", red_below=35, green_from=75)
    prefix = prefix_of(data, "nps")
    data = _with_points(data, "nps", ["0", "7", "10"], ["0", "50", "100"])
    data[f"{prefix}-weight"] = "30"
    data[f"{prefix}-position"] = "1"
    data[f"{prefix_of(data, 'active_users')}-position"] = "9"
    usage = prefix_of(data, "usage_trend")
    del data[f"{usage}-enabled"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client_for(admin_user).post(_edit_url(default), data)
    assert response.status_code == 302
    default.refresh_from_db()
    assert (default.version, default.name, default.red_below, default.green_from) == (
        2,
        "Everyone",
        35,
        75,
    )
    measures = list(default.measures.order_by("position"))
    assert measures[0].kind == "nps"
    assert measures[0].points == [[0, 0], [7, 50], [10, 100]]
    assert measures[0].weight == 30
    assert "usage_trend" not in {m.kind for m in measures}
    version = ScorecardVersion.objects.get(scorecard=default, version=2)
    assert version.saved_by == admin_user
    assert version.config["red_below"] == 35
    assert [m["kind"] for m in version.config["measures"]] == [m.kind for m in measures]
    run = Job.objects.get()
    assert (run.is_full, run.day, run.raise_alerts) == (True, None, True)
    assert len(callbacks) == 1


def test_a_measure_from_the_registry_can_be_added(client_for, admin_user, default):
    default.measures.filter(kind="sentiment").delete()
    data = editor_post(default)
    prefix = prefix_of(data, "sentiment")
    assert f"{prefix}-enabled" not in data  # offered, unticked
    data[f"{prefix}-enabled"] = "on"
    assert client_for(admin_user).post(_edit_url(default), data).status_code == 302
    added = default.measures.get(kind="sentiment")
    assert added.points == [list(p) for p in MEASURES["sentiment"].points]


def test_saving_over_a_newer_version_is_refused(client_for, admin_user, default):
    data = editor_post(default, name="Mine")
    Scorecard.objects.filter(pk=default.pk).update(version=2)
    response = client_for(admin_user).post(_edit_url(default), data)
    assert response.status_code == 400
    assert "Someone saved version 2 of this scorecard while you were editing" in (
        response.content.decode()
    )
    default.refresh_from_db()
    assert default.name == "Default"


def test_reset_puts_one_measure_back_to_the_registry_defaults_without_saving(
    client_for, admin_user, default
):
    data = editor_post(default)
    prefix = prefix_of(data, "nps")
    data = _with_points(data, "nps", ["1", "2"], ["5", "6"])
    data[f"{prefix}-weight"] = "99"
    response = client_for(admin_user).post(_edit_url(default), {**data, "reset": prefix})
    assert response.status_code == 200
    form = next(f for f in response.context["measures"].forms if f.prefix == prefix)
    assert form["weight"].value() == "10"
    assert [(r.raw, r.score) for r in form.rows[:-1]] == [
        ("0", "0"),
        ("6", "40"),
        ("8", "70"),
        ("10", "100"),
    ]
    default.refresh_from_db()
    assert default.version == 1


def test_unknown_key_event_warns_with_close_known_names(client_for, admin_user, default):
    DailyUsageFactory(event="report.viewed")
    DailyUsageFactory(event="report.exported")
    client = client_for(admin_user)
    data = editor_post(default, key_events=["report.viewed"], other_events="reprt.viewed")
    response = client.post(_edit_url(default), data, follow=True)
    html = response.content.decode()
    assert "No usage has the event “reprt.viewed” yet. Did you mean “report.viewed”" in html
    default.refresh_from_db()
    assert default.key_events == ["report.viewed", "reprt.viewed"]
    # The editor keeps warning while the name is unknown.
    editor = client.get(_edit_url(default)).content.decode()
    assert "No usage has the event “reprt.viewed” yet" in editor


def test_editor_offers_the_event_names_seen_in_usage(client_for, admin_user, default):
    DailyUsageFactory(event="dashboard.shared")
    DailyUsageFactory(event="dashboard.shared", day=timezone.now().date() - timedelta(days=1))
    html = client_for(admin_user).get(_edit_url(default)).content.decode()
    assert html.count('value="dashboard.shared"') == 1


def test_editor_shows_each_measures_share_of_the_weight(client_for, admin_user, default):
    response = client_for(admin_user).get(_edit_url(default))
    shares = {f["kind"].value(): f.share for f in response.context["measures"].forms}
    total = sum(m.weight for m in default.measures.all())
    assert shares["active_users"] == pytest.approx(100 * 25 / total)
    assert sum(s for s in shares.values() if s is not None) == pytest.approx(100.0)


def test_version_history_is_listed_newest_first(client_for, admin_user, default):
    client = client_for(admin_user)
    client.post(_edit_url(default), editor_post(default, name="Second"))
    default.refresh_from_db()
    response = client.get(_edit_url(default))
    assert [v.version for v in response.context["data"].versions] == [2, 1]
    assert admin_user.get_full_name() in response.content.decode()


# --- Preview: exactly what the recompute will do ----------------------------------------


@pytest.fixture
def scored_accounts(db):
    """Accounts with usage in both windows and NPS answers from poor to great, scored
    once with the saved configuration."""
    today = services.today_utc()
    accounts = []
    for index, nps in enumerate([1, 3, 5, 6, 7, 8, 9, 10]):
        account = AccountFactory(name=f"Customer {index}")
        DailyUsageFactory(account=account, day=today - timedelta(days=45), event_count=100)
        DailyUsageFactory(
            account=account, day=today - timedelta(days=2), event_count=40 + 15 * index
        )
        if index % 2:
            DailyUsageFactory(
                account=account, day=today - timedelta(days=3), event="export.created"
            )
        SurveyResponseFactory(account=account, score=nps)
        accounts.append(account)
    services.recompute_now()
    return accounts


def preview_finished(client, scorecard: Scorecard, data: dict, capture, **extra):
    """Post the editor's preview, let the job it queues run (tasks are inline in tests,
    after commit), and read the finished preview as the polling does."""
    with capture(execute=True):
        response = client.post(
            reverse("healthscores:scorecard_preview", args=[scorecard.pk]), data, **extra
        )
    assert response.status_code == 200
    job = response.context["replay"].job
    status = client.get(
        reverse("healthscores:scorecard_replay", args=[scorecard.pk, job.pk]),
        HTTP_HX_REQUEST="true",
    )
    assert status.status_code == 200
    return response, status


def _bands() -> dict[int, str]:
    return dict(AccountHealth.objects.values_list("account_id", "band"))


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"red_below": 55, "green_from": 62}, id="bands-reuse-raw-values"),
        pytest.param(
            {"key_events": ["report.viewed", "export.created"]}, id="key-events-new-raw-values"
        ),
    ],
)
def test_preview_counts_are_what_the_recompute_then_produces(
    client_for,
    admin_user,
    default,
    scored_accounts,
    changes,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.HEALTH_CHUNK_SIZE = 3  # several chunks, merged into one preview
    client = client_for(admin_user)
    before = _bands()
    data = editor_post(default, **changes)
    _posted, response = preview_finished(
        client, default, data, django_capture_on_commit_callbacks, HTTP_HX_REQUEST="true"
    )
    replay = response.context["replay"]
    assert replay.job.chunks_total == 3
    comparison = replay.comparison
    assert comparison.accounts == len(scored_accounts)
    assert not HealthSnapshot.objects.filter(scorecard_version=2).exists(), "preview writes nothing"

    assert client.post(_edit_url(default), data).status_code == 302
    services.recompute_now()
    after = _bands()
    moved = {pk for pk in before if before[pk] != after[pk]}
    assert comparison.changed == len(moved) > 0
    assert {row.account_id for row in comparison.rows} == moved
    transitions = {}
    for pk in moved:
        transitions[(before[pk], after[pk])] = transitions.get((before[pk], after[pk]), 0) + 1
    assert {(t.before, t.after): t.count for t in comparison.transitions} == transitions
    assert f"{len(moved)} account" in response.content.decode()


def test_preview_with_errors_shows_them_and_no_preview(client_for, admin_user, default):
    response = client_for(admin_user).post(
        reverse("healthscores:scorecard_preview", args=[default.pk]),
        editor_post(default, red_below=90, green_from=10),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.context["replay"] is None
    assert not Job.objects.filter(kind="scorecard_replay").exists()
    html = response.content.decode()
    assert "Fix the problems marked below to see the preview." in html
    assert "<html" not in html  # the partial only, for htmx


def test_preview_of_a_segment_scores_only_its_accounts(
    client_for, admin_user, default, django_capture_on_commit_callbacks
):
    AccountFactory.create_batch(2, segment="Enterprise")
    AccountFactory.create_batch(3, segment="SMB")
    enterprise = services.scorecard_create(segment="Enterprise", user=admin_user)
    client = client_for(admin_user)
    capture = django_capture_on_commit_callbacks
    posted, status = preview_finished(client, enterprise, editor_post(enterprise), capture)
    assert "<html" in posted.content.decode()  # a plain post gets the whole page
    assert status.context["replay"].comparison.accounts == 2
    assert status.context["replay"].comparison.changed == 0


# --- Backfill ------------------------------------------------------------------------


def test_backfill_queues_one_quiet_run_per_day_before_today_for_the_scorecards_accounts(
    client_for, admin_user, default, django_capture_on_commit_callbacks
):
    AccountFactory.create_batch(2, segment="SMB")
    enterprise_account = AccountFactory(segment="Enterprise")
    services.scorecard_create(segment="SMB", user=admin_user)
    enterprise = services.scorecard_create(segment="Enterprise", user=admin_user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client_for(admin_user).post(
            reverse("healthscores:scorecard_backfill", args=[enterprise.pk]), {"days": "3"}
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("core:jobs")
    today = services.today_utc()
    runs = list(Job.objects.filter(kind="health").order_by("pk"))
    assert [run.day for run in runs] == [today - timedelta(days=n) for n in (3, 2, 1)]
    assert all(run.account_ids == [enterprise_account.pk] for run in runs)
    assert not any(run.raise_alerts or run.is_full for run in runs)
    assert len(callbacks) == 3


@pytest.mark.parametrize("days", ["0", "91", ""])
def test_backfill_days_must_be_1_to_90(client_for, admin_user, default, days):
    response = client_for(admin_user).post(
        reverse("healthscores:scorecard_backfill", args=[default.pk]), {"days": days}
    )
    assert response.status_code == 400
    assert "1 to 90" in response.content.decode() or "1 and 90" in response.content.decode()
    assert not Job.objects.exists()


def test_backfill_runs_rewrite_each_past_day(admin_user, default):
    account = AccountFactory()
    SurveyResponseFactory(account=account, score=2)
    runs = services.scorecard_backfill(scorecard=default, days=2)
    for run in runs:
        jobs.job_run(job_id=run.pk, inline=True)
    today = services.today_utc()
    assert sorted(HealthSnapshot.objects.filter(account=account).values_list("day", flat=True)) == [
        today - timedelta(days=2),
        today - timedelta(days=1),
    ]


# --- List, create, delete ------------------------------------------------------------


def test_list_shows_each_scorecard_with_measures_version_and_accounts(
    client_for, admin_user, default
):
    AccountFactory.create_batch(3, segment="SMB")
    AccountFactory.create_batch(2, segment="Enterprise")
    AccountFactory(segment="")
    services.scorecard_create(segment="Enterprise", user=admin_user)
    response = client_for(admin_user).get(reverse("healthscores:scorecards"))
    rows = {row.scorecard.name: row for row in response.context["overview"].rows}
    assert rows["Default"].accounts_count == 4  # SMB and the account without a segment
    assert rows["Enterprise"].accounts_count == 2
    assert rows["Enterprise"].measures_count == default.measures.count()
    assert response.context["overview"].free_segments == ["SMB"]


def test_create_copies_the_default_for_a_segment(client_for, admin_user, default):
    AccountFactory(segment="SMB")
    response = client_for(admin_user).post(
        reverse("healthscores:scorecard_create"), {"segment": "SMB"}
    )
    smb = Scorecard.objects.get(segment="SMB")
    assert response["Location"] == _edit_url(smb)
    assert list(smb.measures.values_list("kind", "weight", "points")) == list(
        default.measures.values_list("kind", "weight", "points")
    )
    assert smb.versions.get().saved_by == admin_user


def test_create_refuses_a_segment_no_account_has_or_that_has_a_scorecard(
    client_for, admin_user, default
):
    AccountFactory(segment="SMB")
    services.scorecard_create(segment="SMB", user=admin_user)
    client = client_for(admin_user)
    for segment in ["SMB", "Nowhere", ""]:
        response = client.post(reverse("healthscores:scorecard_create"), {"segment": segment})
        assert response.status_code == 400
    assert Scorecard.objects.count() == 2


def test_delete_a_segment_scorecard_that_never_scored(client_for, admin_user, default):
    AccountFactory(segment="SMB")
    smb = services.scorecard_create(segment="SMB", user=admin_user)
    client = client_for(admin_user)
    confirm = client.get(reverse("healthscores:scorecard_delete", args=[smb.pk]))
    assert "Delete scorecard" in confirm.content.decode()
    response = client.post(reverse("healthscores:scorecard_delete", args=[smb.pk]))
    assert response["Location"] == reverse("healthscores:scorecards")
    assert not Scorecard.objects.filter(segment="SMB").exists()


def test_a_scorecard_with_snapshots_is_kept_and_the_page_says_why(client_for, admin_user, default):
    AccountFactory(segment="SMB")
    smb = services.scorecard_create(segment="SMB", user=admin_user)
    services.recompute_now()
    client = client_for(admin_user)
    confirm = client.get(reverse("healthscores:scorecard_delete", args=[smb.pk])).content.decode()
    assert "has scored 1 health snapshot" in confirm
    assert "Delete scorecard" not in confirm
    response = client.post(reverse("healthscores:scorecard_delete", args=[smb.pk]), follow=True)
    assert "cannot be deleted" in response.content.decode()
    assert Scorecard.objects.filter(pk=smb.pk).exists()


def test_the_default_scorecard_cannot_be_deleted(client_for, admin_user, default):
    client_for(admin_user).post(reverse("healthscores:scorecard_delete", args=[default.pk]))
    assert Scorecard.objects.filter(pk=default.pk).exists()


def test_missing_scorecard_is_404(client_for, admin_user, default):
    response = client_for(admin_user).get(reverse("healthscores:scorecard", args=[9999]))
    assert response.status_code == 404


# --- Who may, and what it costs --------------------------------------------------------

GET_PAGES = ["healthscores:scorecards", "healthscores:scorecard", "healthscores:scorecard_delete"]
POSTS = {
    # url name -> (data, what an admin gets)
    "healthscores:scorecard_create": ({"segment": ""}, 400),
    "healthscores:scorecard": ({}, 400),
    "healthscores:scorecard_preview": ({}, 200),
    "healthscores:scorecard_backfill": ({"days": "1"}, 302),
    "healthscores:scorecard_delete": ({}, 302),
}
NEEDS_SCORECARD = {name for name in [*GET_PAGES, *POSTS] if name != "healthscores:scorecards"}
NEEDS_SCORECARD.discard("healthscores:scorecard_create")


def _url(name: str, scorecard: Scorecard) -> str:
    return reverse(name, args=[scorecard.pk] if name in NEEDS_SCORECARD else [])


def _expect_refused(response, actor):
    if actor == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("name", GET_PAGES)
def test_only_admins_open_the_scorecard_pages(actors, default, name, actor):
    response = actors[actor].get(_url(name, default))
    if actor == "admin":
        assert response.status_code == 200
    else:
        _expect_refused(response, actor)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("name", list(POSTS))
def test_only_admins_change_scorecards(actors, default, name, actor):
    AccountFactory(segment="SMB")
    smb = services.scorecard_create(segment="SMB", user=None)
    data, admin_status = POSTS[name]
    response = actors[actor].post(_url(name, smb), data)
    if actor == "admin":
        assert response.status_code == admin_status
    else:
        _expect_refused(response, actor)
        assert Scorecard.objects.count() == 2
        assert not Job.objects.exists()


def test_scorecards_link_is_in_the_navigation_of_admins_only(actors, default):
    url = reverse("healthscores:scorecards")
    admin_page = actors["admin"].get(reverse("accounts:getting_started")).content.decode()
    assert f'href="{url}"' in admin_page
    portfolio = actors["csm"].get(reverse("accounts:portfolio")).content.decode()
    assert f'href="{url}"' not in portfolio


def test_getting_started_links_to_the_scorecards(client_for, admin_user, default):
    from accounts.selectors import getting_started_steps

    step = next(s for s in getting_started_steps() if "scorecard" in str(s.title))
    assert (step.available, step.url) == (True, "healthscores:scorecards")


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_page_runs_a_constant_number_of_queries(client_for, admin_user, default):
    client = client_for(admin_user)
    AccountFactory(segment="S0")
    services.scorecard_create(segment="S0", user=admin_user)
    few = _count_queries(client, reverse("healthscores:scorecards"))
    for n in range(1, 6):
        AccountFactory.create_batch(2, segment=f"S{n}")
        services.scorecard_create(segment=f"S{n}", user=admin_user)
    assert _count_queries(client, reverse("healthscores:scorecards")) == few <= 6


def test_editor_runs_a_constant_number_of_queries(client_for, admin_user, default):
    client = client_for(admin_user)
    DailyUsageFactory(event="a")
    few = _count_queries(client, _edit_url(default))
    for n in range(5):
        DailyUsageFactory(event=f"event.{n}")
        client.post(_edit_url(default), editor_post(default, name=f"Name {n}"))
        default.refresh_from_db()
    assert ScorecardVersion.objects.filter(scorecard=default).count() == 6
    assert _count_queries(client, _edit_url(default)) == few <= 10
