"""Input parsing of the widget's settings page; the rules live in widget.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from widget.models import WidgetSettings


class OriginForm(forms.Form):
    origin = forms.CharField(
        label=_("Origin"),
        max_length=200,
        help_text=_("Scheme and host, with a port if not the usual one: https://app.example.com"),
        widget=forms.TextInput(
            attrs={"placeholder": "https://app.example.com", "spellcheck": "false"}
        ),
    )


class LookForm(forms.Form):
    accent_colour = forms.CharField(
        label=_("Accent colour"),
        max_length=7,
        widget=forms.TextInput(attrs={"type": "color"}),
    )
    position = forms.ChoiceField(label=_("Position"), choices=WidgetSettings.Position.choices)
    show_checklist = forms.BooleanField(label=_("Show “Getting started”"), required=False)
    show_whats_new = forms.BooleanField(label=_("Show “What's new”"), required=False)
    show_ideas = forms.BooleanField(label=_("Show “Ideas”"), required=False)
    hide_checklist_after_first_value = forms.BooleanField(
        label=_("Hide “Getting started” once the account reaches first value"), required=False
    )


class PreviewForm(forms.Form):
    email = forms.EmailField(
        label=_("Contact e-mail"),
        max_length=254,
        help_text=_("The widget is shown as this person sees it, read-only: nothing is saved."),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    account = forms.CharField(
        label=_("Account ID (optional)"),
        max_length=200,
        required=False,
        help_text=_("Needed only when people of several accounts share the address."),
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
