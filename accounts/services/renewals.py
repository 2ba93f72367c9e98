"""Recording what happened at a renewal, from the account page."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account, RenewalOutcome, User


def renewal_outcome_record(
    *,
    account: Account,
    actor: User,
    renewed_on: date,
    outcome: str,
    arr_before: Decimal,
    arr_after: Decimal,
) -> RenewalOutcome:
    """Add one renewal outcome to the account's history.

    The same rules as the ``renewals`` import (``ingest.rules.check_renewals``, which
    applies them to a whole file at once): an outcome has happened, ARR is never
    negative, a churned account keeps none, and one day holds one outcome.
    """
    errors: dict[str, str] = {}
    if renewed_on > timezone.now().date():
        errors["renewed_on"] = _("An outcome cannot be in the future.")
    if outcome not in RenewalOutcome.Outcome.values:
        errors["outcome"] = _("Choose renewed, expanded, contracted or churned.")
    for name, value in (("arr_before", arr_before), ("arr_after", arr_after)):
        if value < 0:
            errors[name] = _("ARR cannot be negative.")
    if outcome == RenewalOutcome.Outcome.CHURNED and arr_after > 0 and "arr_after" not in errors:
        errors["arr_after"] = _("A churned account has no ARR after the renewal.")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return RenewalOutcome.objects.create(
                account=account,
                renewed_on=renewed_on,
                outcome=outcome,
                arr_before=arr_before,
                arr_after=arr_after,
                recorded_by=actor,
            )
    except IntegrityError:
        # The unique (account, day) index decides, also between two people saving at once.
        raise ValidationError(
            {"renewed_on": _("This account already has an outcome on this date.")}
        ) from None
