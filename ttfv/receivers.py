"""Subscriptions to what ``accounts`` announces; each one only queues our own work."""

from core.tasks import queue_task


def recompute_after_data_change(sender, account_ids: list[int], **kwargs) -> None:
    # Sent after the ingest committed: the task can be queued right away.
    queue_task("ttfv.tasks.recompute_ttfv", account_ids=account_ids)
