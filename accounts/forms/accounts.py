"""Input parsing of the account pages: the note form and the portfolio's query string."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import extensions
from accounts.selectors import (
    PORTFOLIO_SCOPES,
    RENEWAL_WINDOWS,
    PortfolioChoices,
    portfolio_sorts,
)
from accounts.services import NOTE_MAX_LENGTH
from core.i18n import interpolate_lazy


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Add a note"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "placeholder": _("Call summary, risk, next step…"),
            }
        ),
        error_messages={
            "required": _("Write something before saving the note."),
            "max_length": _(
                "A note can be at most %(limit_value)d characters long (it has %(show_value)d)."
            ),
        },
    )


class PortfolioQueryForm(forms.Form):
    """The portfolio's GET parameters. Unknown or stale values are dropped, not errors:
    a bookmarked link to a segment that no longer exists still shows the portfolio."""

    scope = forms.ChoiceField(
        choices=[(scope, scope) for scope in PORTFOLIO_SCOPES], required=False
    )
    q = forms.CharField(label=_("Search"), max_length=100, required=False, strip=True)
    segment = forms.ChoiceField(label=_("Segment"), required=False)
    plan = forms.ChoiceField(label=_("Plan"), required=False)
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    renewal = forms.TypedChoiceField(
        label=_("Renewal"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", _("Any time")),
            *[
                (days, interpolate_lazy(_("Within %(days)d days"), days=days))
                for days in RENEWAL_WINDOWS
            ],
        ],
    )
    sort = forms.ChoiceField(required=False)
    dir = forms.ChoiceField(choices=[("asc", "asc"), ("desc", "desc")], required=False)

    FILTERS = ("segment", "plan", "stage", "renewal")

    def __init__(self, data: Any, *, choices: PortfolioChoices, default_scope: str) -> None:
        super().__init__(data)
        self.default_scope = default_scope
        self.fields["segment"].choices = [("", _("All segments"))] + [
            (value, value) for value in choices.segments
        ]
        self.fields["plan"].choices = [("", _("All plans"))] + [
            (value, value) for value in choices.plans
        ]
        self.fields["stage"].choices = [("", _("All stages")), *choices.stages]
        self.fields["sort"].choices = [(key, key) for key in portfolio_sorts()]
        # Filters other apps registered (health band, ...) after our own.
        self.extra_filters = [item.key for item in extensions.portfolio_filters()]
        for item in extensions.portfolio_filters():
            self.fields[item.key] = forms.ChoiceField(
                label=item.label,
                required=False,
                choices=[("", item.empty_label), *item.choices],
            )

    def values(self) -> dict[str, Any]:
        """Cleaned parameters, each invalid one replaced by its default."""
        self.is_valid()
        cleaned = {name: self.cleaned_data.get(name) for name in self.fields}
        for name in self.errors:
            cleaned[name] = None
        cleaned["scope"] = cleaned["scope"] or self.default_scope
        cleaned["q"] = cleaned["q"] or ""
        for name in ("segment", "plan", "stage", "sort", "dir", *self.extra_filters):
            cleaned[name] = cleaned[name] or ""
        cleaned["extra_filters"] = {key: cleaned[key] for key in self.extra_filters}
        return cleaned

    @property
    def has_filters(self) -> bool:
        values = self.values()
        return any(values[name] for name in (*self.FILTERS, *self.extra_filters))

    def active_filters(self) -> list[tuple[str, str, str]]:
        """(key, label, chosen value's label) of each filter in force, in form order."""
        values = self.values()
        active = []
        for name in (*self.FILTERS, *self.extra_filters):
            if not values[name]:
                continue
            field = self.fields[name]
            labels = {str(key): label for key, label in field.choices}
            active.append((name, str(field.label), str(labels.get(str(values[name]), ""))))
        return active

    def extra_filter_fields(self) -> list:
        return [self[key] for key in self.extra_filters]
