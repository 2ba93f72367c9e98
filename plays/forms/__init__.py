"""Input parsing of the plays pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.roles import Role
from plays.models import PlaybookStep, Rule, Task
from plays.selectors import SECTIONS


class OwnerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.get_username()


def _owners() -> forms.ModelChoiceField:
    return OwnerChoice(
        label=_("Owner"),
        queryset=User.objects.filter(role__in=[Role.CSM, Role.ADMIN], is_active=True).order_by(
            "first_name", "last_name", "username"
        ),
        required=False,
        empty_label=_("The account's CSM"),
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    due_on = forms.DateField(label=_("Due"), widget=DateInput())
    owner = _owners()
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Task.Priority.choices, initial=Task.Priority.NORMAL
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _owners()


class SkipForm(forms.Form):
    reason = forms.CharField(label=_("Why skip it?"), max_length=300)


class RescheduleForm(forms.Form):
    due_on = forms.DateField(label=_("New due date"), widget=DateInput())


class AssignForm(forms.Form):
    owner = _owners()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _owners()
        self.fields["owner"].required = True
        owner = _owners()
        owner.required, owner.empty_label = True, None
        self.fields["owner"] = owner


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CockpitFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("Everything")),
            *zip(
                SECTIONS,
                [
                    _("Overdue"),
                    _("Due today"),
                    _("Due this week"),
                    _("New plays"),
                    _("Changed band"),
                    _("Renewals without a plan"),
                ],
                strict=True,
            ),
        ],
    )
    account = forms.CharField(label=_("Account"), required=False, max_length=200)
    segment = forms.CharField(label=_("Segment"), required=False, max_length=60)


class PlaybookForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class StepForm(forms.Form):
    title = forms.CharField(label=_("Step"), max_length=200, required=False)
    how_to = forms.CharField(
        label=_("How to (Markdown)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    due_in_days = forms.IntegerField(
        label=_("Due in (days)"), min_value=0, max_value=365, initial=0
    )
    owner_kind = forms.ChoiceField(
        label=_("Owner"), choices=PlaybookStep.Owner.choices, initial=PlaybookStep.Owner.CSM
    )
    owner_user = forms.ModelChoiceField(
        label=_("Person"),
        required=False,
        queryset=User.objects.filter(role__in=[Role.CSM, Role.ADMIN], is_active=True),
    )
    owner_role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", "—"), (Role.CSM.value, Role.CSM.label), (Role.ADMIN.value, Role.ADMIN.label)],
    )


StepFormSet = formset_factory(StepForm, extra=2, max_num=20)


class RuleForm(forms.ModelForm):
    class Meta:
        model = Rule
        fields = [
            "name",
            "playbook",
            "trigger",
            "band",
            "threshold",
            "days",
            "segment",
            "cooldown_days",
            "enabled",
        ]
