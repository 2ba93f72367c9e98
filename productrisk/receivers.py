"""Subscriptions to what ``accounts`` announces; each one only queues our own work."""

from productrisk.services.flags import product_risk_recompute_soon


def recompute_after_data_change(sender, account_ids: list[int], **kwargs) -> None:
    # Sent in the ingest's transaction: ARR, renewals, health or onboarding may have
    # changed, so the flags' numbers may have. One debounced run for a burst of ingests.
    product_risk_recompute_soon()
