"""Closing the loop: telling the people behind an idea that something happened to it.

An event (an idea's status changed, a roadmap item that carries it shipped) reaches
every voter and follower of the ideas involved once, as an in-app notification and an
e-mail, and each CSM once with the list of their accounts that asked. "Once" rests on
the alert inbox's unique (recipient, dedupe key): the event key names the event, so a
retried task or a second delivery raises nothing new and e-mails nobody twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from core import i18n
from feedback.selectors.audience import recipients
from notifications.models import Alert
from notifications.services import AlertDraft, accounts_listing, alerts_raise

KIND_IDEA = "feedback.idea"
KIND_IDEA_ACCOUNTS = "feedback.idea_accounts"


def idea_event_notify(
    *,
    idea_ids: Sequence[int],
    event_key: str,
    title: i18n.DeferredText | str,
    body: i18n.DeferredText | str = "",
    url: str = "",
    actor_id: int | None = None,
) -> int:
    """Raise the event's notifications to its :func:`recipients`; returns how many
    drafts were offered."""
    people, by_csm = recipients(idea_ids, actor_id=actor_id)
    drafts = [
        AlertDraft(
            kind=KIND_IDEA,
            recipient_id=user_id,
            title=title,
            body=body,
            url=url,
            dedupe_key=event_key,
            severity=Alert.Severity.INFO,
        )
        for user_id in sorted(people)
    ]
    for csm_id, accounts in sorted(by_csm.items()):
        drafts.append(
            AlertDraft(
                kind=KIND_IDEA_ACCOUNTS,
                recipient_id=csm_id,
                title=i18n.deferred_plural(
                    "%(title)s — %(count)d of your accounts asked for it",
                    "%(title)s — %(count)d of your accounts asked for it",
                    "count",
                    title=title,
                    count=len(accounts),
                ),
                body=i18n.deferred_join("\n\n", body, accounts_listing(accounts)),
                url=url,
                dedupe_key=f"{event_key}:accounts",
                severity=Alert.Severity.INFO,
                account_id=accounts[0][0] if len(accounts) == 1 else None,
            )
        )
    alerts_raise(drafts)
    return len(drafts)
