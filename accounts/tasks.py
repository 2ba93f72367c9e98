"""Celery entry points for accounts: thin wrappers around services."""

from celery import shared_task

from accounts import services


@shared_task
def prune_sso_token_uses() -> int:
    """The beat's clean-up of used sign-in token IDs that can no longer be replayed."""
    return services.sso_token_uses_prune()
