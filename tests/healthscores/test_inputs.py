"""The CSM's inputs: sentiment and overrides, validated, kept as history, and followed
by an inline recompute of that one account."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from healthscores import services
from healthscores.models import AccountHealth, HealthOverride, HealthSnapshot, Sentiment
from healthscores.services import today_utc
from healthscores.services.inputs import OVERRIDE_MAX_DAYS
from tests.accounts.factories import AccountFactory
from tests.healthscores.factories import HealthOverrideFactory, SentimentFactory

pytestmark = pytest.mark.django_db


def test_sentiment_is_kept_as_history_and_recomputes_the_account_now(csm):
    account = AccountFactory()
    SentimentFactory(account=account, value="red")
    sentiment = services.sentiment_set(
        account=account, value="green", comment="  Great QBR.  ", set_by=csm
    )
    assert sentiment.comment == "Great QBR."
    assert sentiment.set_by == csm
    assert Sentiment.objects.filter(account=account).count() == 2
    snapshot = HealthSnapshot.objects.get(account=account, day=today_utc())
    assert snapshot.components["sentiment"]["raw"] == 2
    assert AccountHealth.objects.get(account=account).day == today_utc()


@pytest.mark.parametrize(
    ("value", "comment", "field", "message"),
    [
        ("green", "   ", "comment", "Say why: a sentiment needs a comment."),
        ("purple", "Fine", "value", "Choose green, yellow or red."),
        ("green", "x" * 2001, "comment", "A comment can be at most 2000 characters long."),
    ],
)
def test_sentiment_is_refused_with_a_clear_message(csm, value, comment, field, message):
    account = AccountFactory()
    with pytest.raises(ValidationError) as caught:
        services.sentiment_set(account=account, value=value, comment=comment, set_by=csm)
    assert caught.value.message_dict[field] == [message]
    assert not Sentiment.objects.exists()
    assert not HealthSnapshot.objects.exists()


def test_override_starts_today_and_applies_in_the_recompute(csm):
    account = AccountFactory()
    override = services.override_set(
        account=account,
        band="green",
        reason="Exec sponsor confirmed renewal",
        expires_on=today_utc() + timedelta(days=10),
        set_by=csm,
    )
    assert override.starts_on == today_utc()
    snapshot = HealthSnapshot.objects.get(account=account, day=today_utc())
    assert snapshot.override_band == "green"
    assert snapshot.override_reason == "Exec sponsor confirmed renewal"
    health = AccountHealth.objects.get(account=account)
    assert (health.effective_band, health.is_override) == ("green", True)
    assert health.band == "grey"  # the computed band stays: no data at all


@pytest.mark.parametrize("days", [0, OVERRIDE_MAX_DAYS])
def test_override_may_expire_today_or_at_the_latest_after_180_days(csm, days):
    account = AccountFactory()
    expires_on = today_utc() + timedelta(days=days)
    services.override_set(
        account=account, band="red", reason="Champion left", expires_on=expires_on, set_by=csm
    )
    assert HealthOverride.objects.get().expires_on == expires_on


@pytest.mark.parametrize(
    ("band", "reason", "days", "field", "message"),
    [
        ("red", "Why", -1, "expires_on", "The expiry date cannot be in the past."),
        ("red", "Why", OVERRIDE_MAX_DAYS + 1, "expires_on", "An override can last at most 180"),
        ("red", "  ", 5, "reason", "Give a reason: an override must say why."),
        ("grey", "Why", 5, "band", "Choose red, yellow or green."),
    ],
)
def test_override_is_refused_with_a_clear_message(csm, band, reason, days, field, message):
    account = AccountFactory()
    with pytest.raises(ValidationError) as caught:
        services.override_set(
            account=account,
            band=band,
            reason=reason,
            expires_on=today_utc() + timedelta(days=days),
            set_by=csm,
        )
    assert caught.value.message_dict[field][0].startswith(message)
    assert not HealthOverride.objects.exists()


def test_a_new_override_replaces_the_active_one(csm):
    account = AccountFactory()
    old = HealthOverrideFactory(account=account, band="green")
    services.override_set(
        account=account,
        band="red",
        reason="Escalation",
        expires_on=today_utc() + timedelta(days=3),
        set_by=csm,
    )
    old.refresh_from_db()
    assert old.ended_on == today_utc()
    assert HealthSnapshot.objects.get(account=account).override_band == "red"


def test_ending_an_override_keeps_the_days_before_overridden(csm):
    account = AccountFactory()
    yesterday = today_utc() - timedelta(days=1)
    HealthOverrideFactory(account=account, band="green", starts_on=yesterday)
    services.recompute_now(account_ids=[account.pk], day=yesterday)
    assert services.override_end(account=account) == 1
    today = HealthSnapshot.objects.get(account=account, day=today_utc())
    before = HealthSnapshot.objects.get(account=account, day=yesterday)
    assert today.override_band == ""
    assert before.override_band == "green"
    assert AccountHealth.objects.get(account=account).is_override is False


def test_ending_without_an_active_override_says_so():
    account = AccountFactory()
    HealthOverrideFactory(account=account, ended_on=today_utc())
    with pytest.raises(ValidationError, match="no active override"):
        services.override_end(account=account)
