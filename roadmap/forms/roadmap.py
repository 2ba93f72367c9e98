"""The editor's item form. Linked ideas arrive as checked boxes from an idea search, so
the field accepts any idea on the board rather than rendering all of them."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from feedback.models import Idea
from roadmap.models import QUARTER_PATTERN, Column, RoadmapItem, validate_quarter


class RoadmapItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    description = forms.CharField(
        label=_("Public description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown. Shown on the public roadmap and the changelog."),
    )
    column = forms.ChoiceField(label=_("Column"), choices=Column.choices, initial=Column.PLANNED)
    target_quarter = forms.CharField(
        label=_("Target quarter"),
        required=False,
        max_length=7,
        validators=[validate_quarter],
        help_text=_("For example 2027-Q1. Leave empty if you do not want to say."),
        widget=forms.TextInput(attrs={"placeholder": "2027-Q1", "pattern": QUARTER_PATTERN}),
    )
    is_public = forms.BooleanField(
        label=_("Public"),
        required=False,
        help_text=_(
            "Public items appear on the roadmap and changelog, and move their linked ideas "
            "along (their voters and followers are told)."
        ),
    )
    ideas = forms.ModelMultipleChoiceField(
        label=_("Linked ideas"),
        required=False,
        queryset=Idea.objects.on_board(),
        widget=forms.MultipleHiddenInput,
    )

    #: What the form edits: the keyword arguments of item_create and item_update.
    ITEM_FIELDS = ("title", "description", "column", "target_quarter", "is_public", "ideas")

    @classmethod
    def for_item(cls, item: RoadmapItem, **kwargs) -> RoadmapItemForm:
        initial = {name: getattr(item, name) for name in cls.ITEM_FIELDS if name != "ideas"}
        initial["ideas"] = list(item.ideas.all())
        return cls(initial=initial, **kwargs)

    def item_fields(self) -> dict:
        """The cleaned values, as the roadmap services take them."""
        return {name: self.cleaned_data[name] for name in self.ITEM_FIELDS}

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Give the item a title."))
        return title

    def chosen_ideas(self) -> list[Idea]:
        """The linked ideas to show in the form: as posted, or as stored."""
        if self.is_bound:
            pks = [pk for pk in self.data.getlist("ideas") if pk.isdigit()]
            return list(Idea.objects.on_board().filter(pk__in=pks).order_by("-vote_count", "pk"))
        return list(self.initial.get("ideas") or [])
