"""The scorecard draft's preview as a job: who may start, watch and cancel it, that the
page polls it while it runs, that the same draft over the same data is one job, and the
API door onto the same service."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import jobs
from core.jobs import today_utc
from core.models import Job, JobChunk
from healthscores import services
from healthscores.models import Band, Scorecard
from tests.accounts.factories import AccountFactory, RenewalOutcomeFactory
from tests.actors import ACTORS
from tests.healthscores.factories import HealthSnapshotFactory
from tests.healthscores.test_scorecard_editor import editor_post

pytestmark = pytest.mark.django_db

KIND = "scorecard_replay"


@pytest.fixture
def default(db) -> Scorecard:
    return Scorecard.objects.get(segment="")


@pytest.fixture
def renewals(db):
    """Four accounts that renewed or churned 10 days ago, each with the snapshot of 60
    days before that: the replay has something to replay."""
    renewed_on = today_utc() - timedelta(days=10)
    for name, band, score, outcome in [
        ("Caught", Band.RED, 20.0, "churned"),
        ("Missed", Band.GREEN, 85.0, "churned"),
        ("Saved", Band.RED, 30.0, "renewed"),
        ("Fine", Band.GREEN, 90.0, "expanded"),
    ]:
        account = AccountFactory(name=name)
        HealthSnapshotFactory(
            account=account, day=renewed_on - timedelta(days=60), band=band, score=score
        )
        RenewalOutcomeFactory(account=account, renewed_on=renewed_on, outcome=outcome)


def _draft(scorecard: Scorecard, **changes) -> services.ScorecardDraft:
    import dataclasses

    draft = services.draft_of(scorecard, scorecard.measures.all())
    return dataclasses.replace(draft, **changes)


def _queued(scorecard: Scorecard, **changes) -> Job:
    """A preview asked for and not yet taken by a worker (its message is sent on commit,
    which a test's transaction never reaches)."""
    return services.scorecard_replay_request(
        scorecard_id=scorecard.pk, draft=_draft(scorecard, **changes), user=None
    )


def _status_url(scorecard: Scorecard, job: Job) -> str:
    return reverse("healthscores:scorecard_replay", args=[scorecard.pk, job.pk])


def _cancel_url(scorecard: Scorecard, job: Job) -> str:
    return reverse("healthscores:scorecard_replay_cancel", args=[scorecard.pk, job.pk])


# --- Who may --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "expected"), list(zip(ACTORS, [302, 403, 403, 403, 200], strict=True))
)
def test_only_admins_watch_a_preview(actors, default, renewals, actor, expected):
    job = _queued(default)
    assert actors[actor].get(_status_url(default, job)).status_code == expected


@pytest.mark.parametrize(
    ("actor", "expected"), list(zip(ACTORS, [302, 403, 403, 403, 302], strict=True))
)
def test_only_admins_cancel_a_preview(actors, default, renewals, actor, expected):
    job = _queued(default)
    assert actors[actor].post(_cancel_url(default, job)).status_code == expected
    job.refresh_from_db()
    assert (job.status == Job.Status.CANCELED) == (actor == "admin")


@pytest.mark.parametrize(
    ("actor", "expected"), list(zip(ACTORS, [401, 403, 403, 403, 202], strict=True))
)
def test_only_admins_ask_the_api_for_a_preview(actors, default, renewals, actor, expected):
    url = reverse("api-scorecard-preview-request", args=[default.pk])
    response = actors[actor].post(url, {"red_below": 50}, content_type="application/json")
    assert response.status_code == expected
    assert "application/json" in response["Content-Type"]


@pytest.mark.parametrize(
    ("actor", "expected"), list(zip(ACTORS, [401, 403, 403, 403, 200], strict=True))
)
def test_only_admins_read_a_preview_from_the_api(actors, default, renewals, actor, expected):
    job = _queued(default)
    url = reverse("api-scorecard-preview", args=[default.pk, job.pk])
    assert actors[actor].get(url).status_code == expected


def test_a_preview_is_found_only_under_its_own_scorecard(client_for, admin_user, default):
    AccountFactory(segment="Enterprise")
    enterprise = services.scorecard_create(segment="Enterprise", user=admin_user)
    AccountFactory()
    job = _queued(default)
    client = client_for(admin_user)
    assert client.get(_status_url(enterprise, job)).status_code == 404
    recompute = services.recompute_create()
    assert client.get(_status_url(default, recompute)).status_code == 404
    api = reverse("api-scorecard-preview", args=[enterprise.pk, job.pk])
    assert client.get(api).status_code == 404
    assert client.get(api).json()["detail"]


# --- The page polls while it runs -------------------------------------------------------


def test_a_running_preview_shows_its_progress_polls_and_offers_a_refresh_link(
    client_for, admin_user, default, renewals, django_assert_max_num_queries
):
    job = _queued(default)
    client = client_for(admin_user)
    with django_assert_max_num_queries(6):
        response = client.get(_status_url(default, job), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert "<progress" in html
    assert f'href="{_status_url(default, job)}"' in html, "the refresh link without JavaScript"
    assert "<html" not in html

    plain = client.get(_status_url(default, job))
    assert "<html" in plain.content.decode(), "without htmx, the preview's own page"

    jobs.job_run(job_id=job.pk, inline=True)
    done = client.get(_status_url(default, job), HTTP_HX_REQUEST="true").content.decode()
    assert "every 2s" not in done, "polling stops once the preview is over"
    assert "Replay against past renewals" in done
    assert "4 renewals from" in done


def _queries_of_finished_preview(client, scorecard: Scorecard, **changes) -> int:
    job = _queued(scorecard, **changes)
    jobs.job_run(job_id=job.pk, inline=True)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_status_url(scorecard, job))
    assert response.status_code == 200
    return len(queries)


def test_the_page_asks_the_same_number_of_queries_whatever_the_size_of_the_result(
    client_for, admin_user, default, renewals
):
    client = client_for(admin_user)
    few = _queries_of_finished_preview(client, default, red_below=60, green_from=90)
    AccountFactory.create_batch(30)
    many = _queries_of_finished_preview(client, default, red_below=61, green_from=91)
    assert few == many


# --- One job per draft and data; cancel ---------------------------------------------------


def test_the_same_draft_over_the_same_data_is_one_job(default, renewals):
    first = _queued(default, red_below=45)
    assert _queued(default, red_below=45).pk == first.pk
    assert _queued(default, red_below=46).pk != first.pk
    jobs.job_run(job_id=first.pk, inline=True)
    first.refresh_from_db()
    assert first.status == Job.Status.SUCCEEDED
    assert _queued(default, red_below=45).pk == first.pk, "a finished preview is the cache"


def test_new_data_asks_for_a_new_preview(default, renewals):
    first = _queued(default, red_below=45)
    jobs.job_run(job_id=first.pk, inline=True)
    RenewalOutcomeFactory(
        account=AccountFactory(), renewed_on=today_utc() - timedelta(days=3), outcome="churned"
    )
    assert _queued(default, red_below=45).pk != first.pk


def test_a_canceled_or_failed_preview_is_asked_for_again(default, renewals):
    first = _queued(default, red_below=45)
    assert services.scorecard_replay_cancel(scorecard_id=default.pk, job_id=first.pk)
    assert _queued(default, red_below=45).pk != first.pk


def test_a_canceled_preview_leaves_its_chunks_undone(default, renewals, settings, monkeypatch):
    settings.HEALTH_CHUNK_SIZE = 1
    job = _queued(default)
    monkeypatch.setattr(jobs, "chunk_send", lambda chunk_id: False)  # no worker takes them
    jobs.job_run(job_id=job.pk)
    chunks = list(JobChunk.objects.filter(job=job).order_by("index"))
    assert len(chunks) == 4
    assert jobs.job_chunk_run(chunk_id=chunks[0].pk)
    assert services.scorecard_replay_cancel(scorecard_id=default.pk, job_id=job.pk)
    assert not jobs.job_chunk_run(chunk_id=chunks[1].pk), "a canceled job's chunk is not taken"
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELED
    assert not services.scorecard_replay_cancel(scorecard_id=default.pk, job_id=job.pk)


def test_cancel_from_the_page_shows_the_preview_canceled(client_for, admin_user, default):
    AccountFactory()
    job = _queued(default)
    response = client_for(admin_user).post(_cancel_url(default, job), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "The preview was canceled." in response.content.decode()


def test_a_scorecard_without_accounts_has_nothing_to_preview(
    client_for, admin_user, default, django_capture_on_commit_callbacks
):
    response = client_for(admin_user).post(
        reverse("healthscores:scorecard_preview", args=[default.pk]),
        editor_post(default),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "nothing to preview" in response.content.decode()
    assert not Job.objects.filter(kind=KIND).exists()


# --- The API door ------------------------------------------------------------------------


def test_api_previews_a_draft_end_to_end(
    client_for, admin_user, default, renewals, django_capture_on_commit_callbacks
):
    client = client_for(admin_user)
    url = reverse("api-scorecard-preview-request", args=[default.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"red_below": 25, "green_from": 88}, content_type="application/json"
        )
    assert response.status_code == 202
    job_id = response.json()["id"]
    status = client.get(reverse("api-scorecard-preview", args=[default.pk, job_id])).json()
    assert status["status"] == "succeeded"
    assert status["progress"] == 100
    assert status["preview"]["accounts"] == 4
    replay = status["replay"]
    assert replay["horizon"] == 60
    assert replay["current"]["outcomes"] == replay["draft"]["outcomes"] == 4
    assert replay["current"]["churned"] == 2
    again = client.post(url, {"red_below": 25, "green_from": 88}, content_type="application/json")
    assert again.json()["id"] == job_id, "the same draft over the same data"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"red_below": 120}, "red_below"),
        ({"red_below": "low"}, "red_below"),
        (
            {"measures": [{"kind": "nope", "weight": 1, "direction": "higher", "points": []}]},
            "measures",
        ),
        ({"red_below": 80, "green_from": 20}, "green_from"),
        ({"name": 5}, "name"),
    ],
)
def test_api_refuses_a_bad_draft_by_field(client_for, admin_user, default, renewals, body, field):
    response = client_for(admin_user).post(
        reverse("api-scorecard-preview-request", args=[default.pk]),
        body,
        content_type="application/json",
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Job.objects.filter(kind=KIND).exists()


def test_api_cancels_a_preview(client_for, admin_user, default, renewals):
    job = _queued(default)
    response = client_for(admin_user).post(
        reverse("api-scorecard-preview-cancel", args=[default.pk, job.pk])
    )
    assert response.status_code == 200
    assert response.json()["status"] == "canceled"
    assert response.json()["preview"] is None
