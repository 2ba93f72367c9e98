"""Subscriptions to what ``accounts`` announces; each one only queues our own work."""

from ttfv import services


def recompute_after_data_change(sender, account_ids: list[int], **kwargs) -> None:
    # Sent in the ingest's transaction: the job is recorded with the data, sent after.
    services.onboarding_recompute_request(account_ids=account_ids)
