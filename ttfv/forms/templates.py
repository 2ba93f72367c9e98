"""Input parsing of the template pages. The forms only parse (types, required fields);
the rules of a template live in ``ttfv.templates_validation``, whose problems the
:class:`TemplateEditor` places next to the field or row they concern."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ttfv.models import Milestone, MilestoneTemplate
from ttfv.selectors.templates import ScopeChoices
from ttfv.templates_validation import (
    MAX_AT_RISK_PERCENT,
    MAX_TARGET_DAYS,
    MIN_AT_RISK_PERCENT,
    MIN_TARGET_DAYS,
    MilestoneDraft,
    Problems,
    TemplateDraft,
)

MILESTONES_PREFIX = "milestones"
#: The datalist the event inputs point at (rendered once by the editor).
KNOWN_EVENTS_LIST_ID = "known-events"


def nudge_languages() -> list[tuple[str, str]]:
    """The languages besides the default one a nudge can be written in, as (code, name):
    the vendor writes these sentences, so no catalogue can translate them for it."""
    return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def _number(*, label, required: bool = True, help_text: str = "", **attrs: Any):
    return forms.IntegerField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", **attrs}),
        error_messages={
            "required": _("Enter a number of days."),
            "invalid": _("Enter a whole number."),
        },
    )


class TemplateCreateForm(forms.Form):
    """A new template is for one plan or one segment among those on accounts and not
    yet covered by a template."""

    plan = forms.ChoiceField(label=_("Plan"), required=False)
    segment = forms.ChoiceField(label=_("Segment"), required=False)

    def __init__(self, *args: Any, choices: ScopeChoices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [("", _("— no plan —"))] + [
            (value, value) for value in choices.free_plans
        ]
        self.fields["segment"].choices = [("", _("— no segment —"))] + [
            (value, value) for value in choices.free_segments
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("plan") and data.get("segment"):
            raise forms.ValidationError(_("Choose a plan or a segment, not both."))
        if not data.get("plan") and not data.get("segment") and not self.errors:
            raise forms.ValidationError(_("Choose the plan or the segment the template is for."))
        return data


class TemplateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        required=False,  # the rules module says "Give the template a name."
    )
    plan = forms.ChoiceField(label=_("Plan"), required=False)
    segment = forms.ChoiceField(label=_("Segment"), required=False)
    target_days = _number(
        label=_("Target (days)"),
        help_text=_("Days from the start by which the first value should be reached."),
        min=MIN_TARGET_DAYS,
        max=MAX_TARGET_DAYS,
    )
    at_risk_percent = _number(
        # xgettext:no-python-format
        label=_("At risk from (% of the target)"),
        help_text=_("Without first value past this share of the target, an onboarding is at risk."),
        min=MIN_AT_RISK_PERCENT,
        max=MAX_AT_RISK_PERCENT,
    )

    def __init__(
        self, *args: Any, template: MilestoneTemplate, choices: ScopeChoices, **kwargs: Any
    ) -> None:
        kwargs.setdefault(
            "initial",
            {
                "name": template.name,
                "plan": template.plan,
                "segment": template.segment,
                "target_days": template.target_days,
                "at_risk_percent": template.at_risk_percent,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["at_risk_percent"].error_messages["required"] = _("Enter a percentage.")
        if template.is_default:
            # The default applies where no plan or segment template does; it has neither.
            del self.fields["plan"], self.fields["segment"]
            self.fields["target_days"].label = _(
                "Default target for accounts without a plan or segment template (days)"
            )
            return
        # A template may move to a plan or segment no other template has.
        plans = {*choices.free_plans, template.plan} - {""}
        segments = {*choices.free_segments, template.segment} - {""}
        self.fields["plan"].choices = [("", _("— no plan —"))] + [
            (v, v) for v in sorted(set(plans))
        ]
        self.fields["segment"].choices = [("", _("— no segment —"))] + [
            (v, v) for v in sorted(set(segments))
        ]


class MilestoneForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    position = forms.IntegerField(
        label=_("Position"),
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"class": "milestone-position", "min": 0}),
        help_text=_("Milestones are ordered by this number."),
    )
    target_offset_days = _number(
        label=_("Target day"),
        help_text=_("Days after the start by which it should be reached."),
        min=0,
    )
    rule = forms.ChoiceField(
        label=_("Completion rule"),
        choices=Milestone.Rule.choices,
        initial=Milestone.Rule.MANUAL,
        widget=forms.Select(attrs={"class": "milestone-rule"}),
    )
    event = forms.CharField(
        label=_("Event"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"list": KNOWN_EVENTS_LIST_ID, "autocomplete": "off"}),
        help_text=_("The usage event to look for, e.g. report.shared."),
    )
    min_events = forms.IntegerField(
        label=_("At least N events"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
        error_messages={"invalid": _("Enter a whole number.")},
    )
    min_contacts = forms.IntegerField(
        label=_("By at least K people"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
        help_text=_("Optional: distinct contacts among those events."),
        error_messages={"invalid": _("Enter a whole number.")},
    )
    how_to = forms.CharField(
        label=_("How to (in-app checklist)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown to the customer's people in the in-app checklist."),
    )
    help_url = forms.URLField(
        label=_("Link into the product"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Where in your product this step is done (the checklist's button)."),
    )
    nudge_text = forms.CharField(
        label=_("Nudge"),
        max_length=200,
        required=False,
        help_text=_("A short sentence shown when an onboarding stalls before this step."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        default = dict(settings.LANGUAGES)[settings.LANGUAGE_CODE]
        for code, name in nudge_languages():
            self.fields[f"nudge_{code}"] = forms.CharField(
                label=_("Nudge in %(language)s") % {"language": name},
                max_length=200,
                required=False,
                help_text=_("Left empty, people reading %(language)s see the nudge in %(default)s.")
                % {"language": name, "default": default},
                widget=forms.TextInput(attrs={"lang": code}),
            )

    @property
    def nudge_translation_fields(self) -> list[forms.BoundField]:
        return [self[f"nudge_{code}"] for code, _name in nudge_languages()]

    def nudge_translations(self) -> tuple[tuple[str, str], ...]:
        """The submitted nudge per other language (call after validation)."""
        return tuple(
            (code, self.cleaned_data.get(f"nudge_{code}", "")) for code, _name in nudge_languages()
        )


class BaseMilestoneFormSet(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("Remove")


MilestoneFormSet = forms.formset_factory(
    MilestoneForm, formset=BaseMilestoneFormSet, extra=1, can_delete=True
)


class TemplateEditor:
    """The template form, its milestone rows and the first-value radio, validated as one
    by the shared rules."""

    def __init__(
        self,
        data: Any = None,
        *,
        template: MilestoneTemplate,
        milestones: list[Milestone],
        choices: ScopeChoices,
    ) -> None:
        self.form = TemplateForm(data, template=template, choices=choices)
        self.formset = MilestoneFormSet(
            data,
            prefix=MILESTONES_PREFIX,
            initial=[
                {
                    "id": m.pk,
                    "name": m.name,
                    "position": index,
                    "target_offset_days": m.target_offset_days,
                    "rule": m.rule,
                    "event": m.event,
                    "min_events": m.min_events,
                    "min_contacts": m.min_contacts,
                    "how_to": m.how_to,
                    "help_url": m.help_url,
                    "nudge_text": m.nudge_text,
                    **{
                        f"nudge_{code}": (m.nudge_translations or {}).get(code, "")
                        for code, _name in nudge_languages()
                    },
                }
                for index, m in enumerate(milestones)
            ],
        )
        if data is not None:
            self.first_value = data.get("first_value", "")
        else:
            chosen = [i for i, m in enumerate(milestones) if m.is_first_value]
            self.first_value = f"{MILESTONES_PREFIX}-{chosen[0]}" if chosen else ""
        #: Problems of the list as a whole (the first value), shown above the rows.
        self.milestone_errors: list[str] = []
        self._ordered: list[forms.Form] = []

    @property
    def rows(self) -> list[forms.Form]:
        """Rows in their order: by position as submitted, blank new rows last."""

        def key(pair: tuple[int, forms.Form]) -> tuple[int, int, int]:
            index, form = pair
            raw = form["position"].value()
            try:
                position = int(raw)
            except (TypeError, ValueError):
                position = 10**6
            return (index >= self.formset.initial_form_count() and not raw, position, index)

        return [form for _index, form in sorted(enumerate(self.formset.forms), key=key)]

    def _kept_rows(self) -> list[forms.Form]:
        """Stored rows and filled-in new rows, not removed, by position then form order."""
        initial = self.formset.initial_form_count()
        rows = [
            (index, form)
            for index, form in enumerate(self.formset.forms)
            if (index < initial or form.has_changed()) and not form.cleaned_data.get("DELETE")
        ]
        rows.sort(
            key=lambda pair: (
                pair[1].cleaned_data.get("position") is None,
                pair[1].cleaned_data.get("position") or 0,
                pair[0],
            )
        )
        return [form for _index, form in rows]

    def is_valid(self) -> bool:
        form_ok = self.form.is_valid()
        formset_ok = self.formset.is_valid()
        if not (form_ok and formset_ok):
            return False
        self._ordered = self._kept_rows()
        return True

    def draft(self) -> TemplateDraft:
        """The submitted template (call after :meth:`is_valid`)."""
        data = self.form.cleaned_data
        return TemplateDraft(
            name=data["name"],
            plan=data.get("plan", ""),
            segment=data.get("segment", ""),
            target_days=data["target_days"],
            at_risk_percent=data["at_risk_percent"],
            milestones=tuple(
                MilestoneDraft(
                    id=row.cleaned_data.get("id"),
                    name=row.cleaned_data.get("name", ""),
                    target_offset_days=row.cleaned_data["target_offset_days"],
                    rule=row.cleaned_data["rule"],
                    event=row.cleaned_data.get("event", ""),
                    min_events=row.cleaned_data.get("min_events"),
                    min_contacts=row.cleaned_data.get("min_contacts"),
                    is_first_value=row.prefix == self.first_value,
                    how_to=row.cleaned_data.get("how_to", ""),
                    help_url=row.cleaned_data.get("help_url", ""),
                    nudge_text=row.cleaned_data.get("nudge_text", ""),
                    nudge_translations=cast(MilestoneForm, row).nudge_translations(),
                )
                for row in self._ordered
            ),
        )

    def add_problems(self, problems: Problems) -> None:
        """Put each problem next to its field, its row, or above the rows."""
        for field, messages in problems.template.items():
            target = field if field in self.form.fields else None
            for message in messages:
                self.form.add_error(target, message)
        for index, fields in problems.milestones.items():
            row = self._ordered[index]
            for field, messages in fields.items():
                target = field if field in row.fields else None
                for message in messages:
                    row.add_error(target, message)
        self.milestone_errors.extend(problems.milestone_list)
