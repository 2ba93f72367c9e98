"""Input parsing of the health section's forms; the rules themselves live in services."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from healthscores.models import HealthOverride, Sentiment
from healthscores.services.inputs import (
    OVERRIDE_MAX_DAYS,
    OVERRIDE_REASON_MAX_LENGTH,
    SENTIMENT_COMMENT_MAX_LENGTH,
)
from healthscores.services.recompute import today_utc


class SentimentForm(forms.Form):
    prefix = "sentiment"

    value = forms.ChoiceField(
        label=_("Your read of the account"),
        choices=Sentiment.Value.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose green, yellow or red.")},
    )
    comment = forms.CharField(
        label=_("Why"),
        max_length=SENTIMENT_COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Say why: a sentiment needs a comment."),
            "max_length": _(
                "A comment can be at most %(limit_value)d characters long (it has %(show_value)d)."
            ),
        },
    )


class OverrideForm(forms.Form):
    prefix = "override"

    band = forms.ChoiceField(
        label=_("Band"),
        choices=HealthOverride.BANDS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose red, yellow or green.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=OVERRIDE_REASON_MAX_LENGTH,
        error_messages={
            "required": _("Give a reason: an override must say why."),
            "max_length": _(
                "A reason can be at most %(limit_value)d characters long (it has %(show_value)d)."
            ),
        },
    )
    expires_on = forms.DateField(
        label=_("Until (inclusive)"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Choose the last day of the override."),
            "invalid": _("Enter the date as YYYY-MM-DD."),
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        today = today_utc()
        # The browser's date picker offers only the days the service accepts.
        self.fields["expires_on"].widget.attrs.update(
            min=today.isoformat(), max=(today + timedelta(days=OVERRIDE_MAX_DAYS)).isoformat()
        )
