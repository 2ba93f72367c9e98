"""Input parsing of the portfolio's bulk actions and saved views."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, User
from accounts.services import MAX_SELECTION
from core.roles import Role


class BulkSelectionForm(forms.Form):
    """Which accounts, and what to do to them. The action's own inputs are its form."""

    account = forms.TypedMultipleChoiceField(
        label=_("Accounts"), coerce=int, required=False, error_messages={}
    )
    action = forms.ChoiceField(label=_("Action"), required=False)
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, data: Any, *, actions: list[tuple[str, Any]]) -> None:
        super().__init__(data)
        cast(forms.ChoiceField, self.fields["action"]).choices = [
            ("", _("Choose an action")),
            *actions,
        ]

    def clean_account(self) -> list[int]:
        ids = self.cleaned_data["account"]
        if not ids:
            raise forms.ValidationError(_("Select at least one account."))
        if len(ids) > MAX_SELECTION:
            raise forms.ValidationError(
                _("Select at most %(limit)d accounts at a time.") % {"limit": MAX_SELECTION}
            )
        return ids

    def full_clean(self) -> None:
        # Any number is a candidate id; the service decides which the actor may change.
        raw = self.data.getlist("account") if hasattr(self.data, "getlist") else []
        cast(forms.ChoiceField, self.fields["account"]).choices = [
            (v, v) for v in raw if str(v).isdigit()
        ]
        super().full_clean()


class PersonChoiceField(forms.ModelChoiceField):
    """Users by the name people know them by."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class ReassignForm(forms.Form):
    # The portfolio shows every action's inputs at once; only the chosen one is needed.
    use_required_attribute = False

    csm = PersonChoiceField(
        label=_("New CSM"),
        queryset=User.objects.none(),
        empty_label=_("Choose a CSM"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["csm"])
        field.queryset = User.objects.filter(role=Role.CSM, is_active=True).order_by(
            "first_name", "last_name", "username"
        )


class StageForm(forms.Form):
    use_required_attribute = False

    stage = forms.ChoiceField(
        label=_("New stage"),
        choices=[("", _("Choose a stage")), *Account.Lifecycle.choices],
    )


class SaveViewForm(forms.Form):
    name = forms.CharField(label=_("Name of the view"), max_length=80)
    shared = forms.BooleanField(label=_("Share with the team"), required=False)
    make_default = forms.BooleanField(label=_("Open my portfolio with it"), required=False)
    columns = forms.MultipleChoiceField(
        label=_("Columns"), required=False, widget=forms.CheckboxSelectMultiple
    )
    #: The portfolio's query string when the form was shown.
    query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def __init__(self, *args: Any, columns: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["columns"]).choices = columns


class UpdateViewForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    shared = forms.BooleanField(label=_("Shared with the team"), required=False)
