"""What CSMs tell the engine: sentiment and band overrides, each followed by an inline
recompute of that one account.

The recompute runs in the request rather than through Celery because the person who
just saved is looking at the badge and expects it to move now; one account costs well
under 200 ms. It runs after the input is committed: the sentiment or override is the
CSM's record and stays even if the recompute fails, and the nightly run would repair
the derived health anyway.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account, User
from core import i18n, jobs
from healthscores.models import Band, HealthOverride, Sentiment
from healthscores.services.recompute import recompute_now, today_utc

SENTIMENT_COMMENT_MAX_LENGTH = 2000
OVERRIDE_REASON_MAX_LENGTH = 300
#: An override is a temporary correction, not a way to silence the score for good.
OVERRIDE_MAX_DAYS = 180


def _recompute(account: Account, *, by: User, text: i18n.DeferredText) -> None:
    """Recompute now, with the person's action as the cause: the alerts it raises say
    so, and spare that person (they did it, and are looking at the badge)."""
    recompute_now(
        account_ids=[account.pk],
        day=today_utc(),
        cause=jobs.cause_action(actor_id=by.pk, text=text),
    )


def sentiment_set(*, account: Account, value: str, comment: str, set_by: User) -> Sentiment:
    """Record the CSM's green/yellow/red read of the account with a comment (kept as
    history), then recompute the account's health for today."""
    comment = comment.strip()
    errors = {}
    if value not in Sentiment.Value.values:
        errors["value"] = _("Choose green, yellow or red.")
    if not comment:
        errors["comment"] = _("Say why: a sentiment needs a comment.")
    elif len(comment) > SENTIMENT_COMMENT_MAX_LENGTH:
        errors["comment"] = _("A comment can be at most %(limit)d characters long.") % {
            "limit": SENTIMENT_COMMENT_MAX_LENGTH
        }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        sentiment = Sentiment.objects.create(
            account=account, value=value, comment=comment, set_by=set_by, set_at=timezone.now()
        )
    _recompute(
        account,
        by=set_by,
        text=i18n.deferred(
            "It changed after %(person)s set the sentiment to %(value)s.",
            person=str(set_by),
            value=Sentiment.Value(value).label,
        ),
    )
    return sentiment


def _active_overrides(account: Account, day: date) -> QuerySet[HealthOverride]:
    """Overrides of the account in force on ``day`` or later (not yet ended or expired)."""
    return HealthOverride.objects.filter(account=account, expires_on__gte=day).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=day)
    )


def override_set(
    *, account: Account, band: str, reason: str, expires_on: date, set_by: User
) -> HealthOverride:
    """Set the account's band by hand from today until ``expires_on`` (inclusive).

    A new override replaces any active one (which ends today), so an account has at most
    one override in force and "End override" ends exactly what the page shows.
    """
    today = today_utc()
    reason = reason.strip()
    errors = {}
    if band not in {choice for choice, _label in HealthOverride.BANDS}:
        errors["band"] = _("Choose red, yellow or green.")
    if not reason:
        errors["reason"] = _("Give a reason: an override must say why.")
    elif len(reason) > OVERRIDE_REASON_MAX_LENGTH:
        errors["reason"] = _("A reason can be at most %(limit)d characters long.") % {
            "limit": OVERRIDE_REASON_MAX_LENGTH
        }
    if expires_on < today:
        errors["expires_on"] = _("The expiry date cannot be in the past.")
    elif expires_on > today + timedelta(days=OVERRIDE_MAX_DAYS):
        errors["expires_on"] = _(
            "An override can last at most %(days)d days (until %(last)s at the latest)."
        ) % {"days": OVERRIDE_MAX_DAYS, "last": today + timedelta(days=OVERRIDE_MAX_DAYS)}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _active_overrides(account, today).update(ended_on=today)
        override = HealthOverride.objects.create(
            account=account,
            band=band,
            reason=reason,
            starts_on=today,
            expires_on=expires_on,
            set_by=set_by,
        )
    _recompute(
        account,
        by=set_by,
        text=i18n.deferred(
            "It changed after %(person)s overrode the band to %(band)s.",
            person=str(set_by),
            band=Band(band).label,
        ),
    )
    return override


def override_end(*, account: Account, ended_by: User | None = None) -> int:
    """End the account's active override today; returns how many were ended.

    The days before today stay overridden in history: ``ended_on`` is the first day the
    override no longer applies.
    """
    today = today_utc()
    with transaction.atomic():
        ended = _active_overrides(account, today).update(ended_on=today)
    if not ended:
        raise ValidationError(_("This account has no active override to end."))
    if ended_by is None:
        recompute_now(account_ids=[account.pk], day=today_utc())
    else:
        _recompute(
            account,
            by=ended_by,
            text=i18n.deferred(
                "It changed after %(person)s ended the band override.",
                person=str(ended_by),
            ),
        )
    return ended
