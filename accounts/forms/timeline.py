"""Input parsing of the timeline page: which kinds of entry, and from where."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from core.timeline import timeline_sources


class TimelineQueryForm(forms.Form):
    kind = forms.MultipleChoiceField(
        label=_("Show"), required=False, widget=forms.CheckboxSelectMultiple
    )
    after = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Read when the form is built: the sources are registered by the apps' ready().
        cast(forms.MultipleChoiceField, self.fields["kind"]).choices = [
            (s.kind, s.label) for s in timeline_sources()
        ]
