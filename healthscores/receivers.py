"""Subscriptions to what ``accounts`` announces; each one only queues our own work."""

from healthscores import services


def recompute_after_data_change(sender, account_ids: list[int], **kwargs) -> None:
    services.recompute_request(account_ids=account_ids)
