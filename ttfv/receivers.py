"""Subscriptions to what ``accounts`` announces; each one only queues our own work."""


def recompute_after_data_change(sender, account_ids: list[int], **kwargs) -> None:
    from ttfv.tasks import recompute_ttfv

    # Sent after the ingest committed: the task can be queued right away.
    recompute_ttfv.delay(account_ids=account_ids)
