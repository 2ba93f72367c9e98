"""Subscriptions to what ``accounts`` announces; each one only queues our own work."""

from ttfv import services


def recompute_after_data_change(sender, account_ids: list[int], **kwargs) -> None:
    # Sent after the ingest committed: the job is recorded and queued right away.
    services.onboarding_recompute_request(account_ids=account_ids)
