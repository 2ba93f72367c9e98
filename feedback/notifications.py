"""Closing the loop: telling the people behind an idea that something happened to it.

An event (an idea's status changed, a roadmap item that carries it shipped) reaches
every voter and follower of the ideas involved once, as an in-app notification and an
e-mail, and each CSM once with the list of their accounts that asked. "Once" rests on
the alert inbox's unique (recipient, dedupe key): the event key names the event, so a
retried task or a second delivery raises nothing new and e-mails nobody twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Q
from django.utils.translation import ngettext

from accounts.models import Account, User
from feedback.models import Follow
from notifications.models import Alert
from notifications.services import AlertDraft, accounts_listing, alerts_raise

KIND_IDEA = "feedback.idea"
KIND_IDEA_ACCOUNTS = "feedback.idea_accounts"


def people_behind(idea_ids: Sequence[int]) -> set[int]:
    """Active users who voted for (themselves or through a CSM) or follow the ideas."""
    voters = User.objects.filter(is_active=True, contact__idea_votes__idea_id__in=idea_ids)
    followers = Follow.objects.filter(idea_id__in=idea_ids, user__is_active=True)
    return set(voters.values_list("pk", flat=True)) | set(
        followers.values_list("user_id", flat=True)
    )


def accounts_by_csm(idea_ids: Sequence[int]) -> dict[int, list[tuple[int, str]]]:
    """For each CSM, the (id, name) of their accounts with a vote on the ideas."""
    rows = (
        Account.objects.filter(
            Q(idea_votes__idea_id__in=idea_ids),
            csm_owner__isnull=False,
            csm_owner__is_active=True,
        )
        .values_list("csm_owner_id", "pk", "name")
        .distinct()
        .order_by("csm_owner_id", "name")
    )
    grouped: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for csm_id, account_id, name in rows:
        grouped[csm_id].append((account_id, name))
    return dict(grouped)


def recipients(
    idea_ids: Sequence[int], *, actor_id: int | None
) -> tuple[set[int], dict[int, list[tuple[int, str]]]]:
    """Who an event about ``idea_ids`` reaches: the people behind the ideas, and the CSMs
    with the accounts of theirs that asked. A CSM who also follows an idea gets only the
    account list, which says more; the person who caused the event is not told."""
    by_csm = {csm: rows for csm, rows in accounts_by_csm(idea_ids).items() if csm != actor_id}
    people = people_behind(idea_ids) - set(by_csm) - {actor_id}
    return people, by_csm


def audience_size(idea_ids: Sequence[int], *, actor_id: int | None) -> int:
    """How many people an event about ``idea_ids`` would tell (what a confirmation
    says before a PM makes it happen)."""
    if not idea_ids:
        return 0
    people, by_csm = recipients(idea_ids, actor_id=actor_id)
    return len(people) + len(by_csm)


def idea_event_notify(
    *,
    idea_ids: Sequence[int],
    event_key: str,
    title: str,
    body: str = "",
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
        accounts_line = accounts_listing(accounts)
        drafts.append(
            AlertDraft(
                kind=KIND_IDEA_ACCOUNTS,
                recipient_id=csm_id,
                title=ngettext(
                    "%(title)s — %(count)d of your accounts asked for it",
                    "%(title)s — %(count)d of your accounts asked for it",
                    len(accounts),
                )
                % {"title": title, "count": len(accounts)},
                body="\n\n".join(part for part in [body, accounts_line] if part),
                url=url,
                dedupe_key=f"{event_key}:accounts",
                severity=Alert.Severity.INFO,
                account_id=accounts[0][0] if len(accounts) == 1 else None,
            )
        )
    alerts_raise(drafts)
    return len(drafts)
