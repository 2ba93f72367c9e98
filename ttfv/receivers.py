"""Subscriptions to what ``accounts`` announces; each one only queues our own work."""

from core.jobs import NO_CAUSE, JobCause
from ttfv import services


def recompute_after_data_change(
    sender, account_ids: list[int], cause: JobCause = NO_CAUSE, **kwargs
) -> None:
    # Sent in the ingest's transaction: the job is recorded with the data, sent after.
    services.onboarding_recompute_request(account_ids=account_ids, cause=cause)
