"""The notification settings form: one labelled choice per category.

The form only offers choices; whether a delivery suits a category is the service's rule
(``preferences_update``), whose errors the view puts back on the fields.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications import categories
from notifications.models import Category, Delivery

HELP = {
    Category.IDEAS: _("An idea you voted for, follow or that your accounts asked for moves."),
    Category.COMMENTS: _("Someone comments on an idea you follow."),
    Category.RISKS: _("A product gap blocks value for several accounts at once."),
    Category.HEALTH: _("The health of an account you own drops."),
    Category.DIGEST: _(
        "One e-mail each morning with everything you chose to receive in the digest. "
        "Off: those notifications stay in your inbox only."
    ),
}


class PreferencesForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for category in Category:
            allowed = categories.allowed(category)
            self.fields[category.value] = forms.ChoiceField(
                label=category.label,
                choices=[(d.value, d.label) for d in Delivery if d in allowed],
                help_text=HELP[category],
            )
