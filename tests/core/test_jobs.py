"""Every recompute is a core job: requests fold into the queued job of their kind, one
full job runs per kind, and every kind shows on the jobs page the same way."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from core import jobs
from core.models import Job, JobChunk
from healthscores import services as health
from tests.accounts.factories import AccountFactory, DailyUsageFactory
from tests.ttfv.factories import MilestoneFactory
from ttfv import services as ttfv
from ttfv.engine import default_template_ensure
from ttfv.models import Milestone

pytestmark = pytest.mark.django_db


def test_requests_for_accounts_fold_into_the_queued_job_of_their_kind(
    django_capture_on_commit_callbacks,
):
    first, second, third = AccountFactory.create_batch(3)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        job = health.recompute_request(account_ids=[first.pk])
        again = health.recompute_request(account_ids=[second.pk, first.pk])
        other_day = health.recompute_request(
            account_ids=[third.pk], day=health.today_utc(), raise_alerts=False
        )
    assert again.pk == job.pk
    job.refresh_from_db()
    assert job.account_ids == sorted([first.pk, second.pk])
    assert other_day.pk != job.pk  # another day, quietly: another job
    assert len(queued) == 2  # one task per job, not per request
    for callback in queued:
        callback()
    job.refresh_from_db()
    assert (job.status, job.accounts_processed) == (Job.Status.SUCCEEDED, 2)


def test_a_request_for_everyone_turns_the_queued_job_into_a_full_one(
    django_capture_on_commit_callbacks,
):
    account = AccountFactory()
    with django_capture_on_commit_callbacks(execute=False):
        job = health.recompute_request(account_ids=[account.pk])
        health.recompute_request(account_ids=None)
    job.refresh_from_db()
    assert (job.is_full, job.account_ids) == (True, [])


def test_an_onboarding_recompute_folds_its_health_request_into_the_queued_one(
    django_capture_on_commit_callbacks,
):
    """An ingest asks for health and onboardings; the onboarding recompute then asks
    for health again for the accounts whose TTFV moved: one health job, not two."""
    template = default_template_ensure()
    template.milestones.all().delete()
    MilestoneFactory(
        template=template,
        name="Report shared",
        rule=Milestone.Rule.USAGE,
        event="report.shared",
        min_events=1,
        is_first_value=True,
        target_offset_days=30,
    )
    account = AccountFactory(started_on=health.today_utc())
    other = AccountFactory()
    DailyUsageFactory(account=account, event="report.shared", day=health.today_utc())
    with django_capture_on_commit_callbacks(execute=False) as queued:
        announced = health.recompute_request(account_ids=[other.pk])
        ttfv.onboarding_recompute(account_ids=[account.pk])
    assert Job.objects.filter(kind="health").count() == 1
    announced.refresh_from_db()
    assert announced.account_ids == sorted([other.pk, account.pk])
    assert Job.objects.get(kind="ttfv").status == Job.Status.SUCCEEDED
    # The health job's one message, and the play rules after the onboarding job.
    assert len(queued) == 2


def test_one_full_job_runs_per_kind_and_kinds_do_not_block_each_other():
    AccountFactory.create_batch(2)
    now = timezone.now()
    Job.objects.create(
        kind="health", is_full=True, status="running", started_at=now, heartbeat_at=now
    )
    blocked = jobs.job_now("health")
    onboarding = jobs.job_now("ttfv")
    assert blocked.status == Job.Status.SKIPPED
    assert onboarding.status == Job.Status.SUCCEEDED
    assert onboarding.accounts_processed == 2


def test_a_product_risk_job_is_one_chunk_with_its_figures():
    job = jobs.job_now("productrisk")
    assert (job.status, job.chunks_total, job.is_full) == (Job.Status.SUCCEEDED, 1, False)
    assert {"opened", "timings"} <= set(job.result)


def test_the_jobs_page_shows_every_kind(client_for, admin_user):
    AccountFactory()
    for kind in ("health", "ttfv", "productrisk"):
        jobs.job_now(kind)
    html = client_for(admin_user).get(reverse("core:jobs")).content.decode()
    for label in ("Health", "Onboarding", "Product risk"):
        assert f'<td class="nowrap">{label}</td>' in html
    assert 'name="kind"' in html


# --- Kinds whose answer is read from the job: chunk results, merge, cancel ---------------


@pytest.fixture
def summing_kind():
    """A kind that counts each chunk's accounts and adds the counts up when it closes;
    its merge fails when asked to (``params["fail"]``)."""

    def compute(job, scope):
        job.result = {"ids": list(scope.ids or ())}
        return len(scope.ids or ())

    def merge(job, parts):
        if job.params.get("fail"):
            raise ValueError("cannot combine")
        return {"ids": [pk for part in parts for pk in part["ids"]], "parts": len(parts)}

    kind = jobs.JobKind(key="test_sum", label="Sum", compute=compute, chunk_size=lambda: 2,
                        merge=merge)  # fmt: skip
    jobs.register_job_kind(kind)
    yield kind
    jobs._kinds.pop(kind.key)


def test_a_merging_kind_keeps_each_chunks_result_and_combines_them_at_the_end(summing_kind):
    job = jobs.job_create("test_sum", account_ids=[5, 1, 3, 9, 7])
    jobs.job_run(job_id=job.pk, inline=True)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.result == {"ids": [1, 3, 5, 7, 9], "parts": 3}
    assert [c.result for c in JobChunk.objects.filter(job=job).order_by("index")] == [
        {"ids": [1, 3]},
        {"ids": [5, 7]},
        {"ids": [9]},
    ]


def test_a_merge_that_fails_fails_the_job_with_the_reason(summing_kind):
    job = jobs.job_create("test_sum", account_ids=[1, 2], params={"fail": True})
    jobs.job_run(job_id=job.pk, inline=True)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "cannot combine" in job.error


def test_a_canceled_job_is_not_claimed(summing_kind):
    job = jobs.job_create("test_sum", account_ids=[1, 2])
    assert jobs.job_cancel(job.pk)
    assert jobs.job_run(job_id=job.pk, inline=True) is None
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELED
    assert not jobs.job_cancel(job.pk), "an ended job is not canceled again"
