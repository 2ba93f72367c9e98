"""Who hears of an event about ideas: the people behind them and their CSMs.

Read by the fan-out (``feedback.notifications``) and, before an action, by whatever asks
a person to confirm it, so the number a confirmation states is the number told.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Q

from accounts.models import Account, User
from feedback.models import Follow


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
