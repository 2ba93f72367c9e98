"""Changes to many accounts at once, from the portfolio's selection. Each is audited.

Who may change what is decided here, for every door: admins change any account; a CSM
changes the accounts of their own book and unassigned ones (taking over or handing
over), never a colleague's; product managers and customers change none. A selection
with one account the actor may not change is refused whole, so a click never half
happens.

The writes are set-based: one locking read of the old values, one UPDATE, one INSERT of
the audit rows, whatever the size of the selection.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Account, User
from core.audit import audit_changes
from core.roles import Role

#: The most accounts one bulk action changes: a page of the portfolio is 25; a mistake
#: on the whole book should take more than one click.
MAX_SELECTION = 500
EDITOR_ROLES = frozenset({Role.CSM, Role.ADMIN})


def _selection(actor: User, account_ids: Iterable[int]) -> QuerySet[Account]:
    """The selected accounts, locked, after the rules on who may change them."""
    ids = sorted({int(pk) for pk in account_ids})
    if not ids:
        raise ValidationError(_("Select at least one account."), code="empty")
    if len(ids) > MAX_SELECTION:
        raise ValidationError(
            _("Select at most %(limit)d accounts at a time.") % {"limit": MAX_SELECTION},
            code="too_many",
        )
    if actor.role not in EDITOR_ROLES:
        raise PermissionDenied(_("Only CSMs and admins change accounts."))
    # Locked in id order, so two bulk actions on overlapping selections queue instead
    # of deadlocking.
    rows = Account.objects.visible_to(actor).filter(pk__in=ids).order_by("pk")
    found = list(rows.select_for_update().values_list("pk", "csm_owner_id"))
    if len(found) != len(ids):
        raise ValidationError(
            _("Some of the selected accounts no longer exist. Reload the page and select again."),
            code="missing",
        )
    if actor.role == Role.CSM:
        others = sum(1 for _pk, owner in found if owner not in (None, actor.pk))
        if others:
            raise PermissionDenied(
                ngettext(
                    "%(count)d of the selected accounts belongs to another CSM's book.",
                    "%(count)d of the selected accounts belong to other CSMs' books.",
                    others,
                )
                % {"count": others}
            )
    return Account.objects.filter(pk__in=ids)


def _change(
    *, actor: User, action: str, accounts: QuerySet[Account], field: str, value: Any
) -> int:
    """Set ``field`` to ``value`` where it differs; audit each row that changed."""
    before = dict(accounts.exclude(**{field: value}).values_list("pk", field))
    if not before:
        return 0
    Account.objects.filter(pk__in=before).update(**{field: value, "updated_at": timezone.now()})
    audit_changes(
        actor=actor,
        action=action,
        model=Account,
        changes={pk: {field: (old, value)} for pk, old in before.items()},
    )
    return len(before)


@transaction.atomic
def accounts_reassign(*, actor: User, account_ids: Iterable[int], csm: User | None) -> int:
    """Make ``csm`` (None: nobody) the CSM of the selected accounts.

    Returns how many accounts changed owner: those already owned by ``csm`` count
    as done, not as changes, and leave no audit row.
    """
    if csm is not None and (csm.role != Role.CSM or not csm.is_active):
        raise ValidationError({"csm": _("Choose an active CSM.")})
    return _change(
        actor=actor,
        action="account.reassign",
        accounts=_selection(actor, account_ids),
        field="csm_owner_id",
        value=csm.pk if csm is not None else None,
    )


@transaction.atomic
def accounts_set_stage(*, actor: User, account_ids: Iterable[int], stage: str) -> int:
    """Move the selected accounts to a lifecycle stage; returns how many moved."""
    if stage not in Account.Lifecycle.values:
        raise ValidationError({"stage": _("Choose a lifecycle stage.")})
    return _change(
        actor=actor,
        action="account.set_stage",
        accounts=_selection(actor, account_ids),
        field="lifecycle_stage",
        value=stage,
    )
