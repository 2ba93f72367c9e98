"""Input of the PM pages: the triage table's query string, the status form, merge and
ticket-link searches."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from feedback.models import Category
from feedback.selectors import statuses
from feedback.selectors.demand import (
    ALL_BUT_MERGED,
    DEFAULT_SORT,
    NEEDS_TRIAGE_SORT,
    SORTS_BY_KEY,
)
from feedback.statuses import SETTABLE_STATUSES, IdeaStatus

#: Longest public message a status change carries (it is e-mailed to every voter).
STATUS_MESSAGE_MAX_LENGTH = 5000


class TriageQueryForm(forms.Form):
    """The triage table's GET parameters. Unknown values fall back to the defaults
    rather than erroring: an old bookmark still opens the table.

    No status is the queue ("Needs triage"), oldest first: the PM's daily work. Every
    other view is one choice away, sorted by votes as before."""

    q = forms.CharField(label=_("Search ideas"), max_length=100, required=False, strip=True)
    status = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.TypedChoiceField(
        label=_("Category"), required=False, coerce=int, empty_value=None
    )
    sort = forms.ChoiceField(choices=[(key, key) for key in SORTS_BY_KEY], required=False)
    dir = forms.ChoiceField(choices=[("asc", "asc"), ("desc", "desc")], required=False)

    FILTERS = ("status", "category")

    def __init__(self, data: Any, *, categories: list[Category]) -> None:
        super().__init__(data)
        labels = statuses.labels()
        self.fields["status"].choices = [
            ("", _("Needs triage")),
            (ALL_BUT_MERGED, _("All but merged")),
        ] + [(status.value, labels[status.value]) for status in IdeaStatus]
        self.fields["category"].choices = [("", _("All categories"))] + [
            (category.pk, category.name) for category in categories
        ]

    def values(self) -> dict[str, Any]:
        """The cleaned parameters, each invalid one replaced by its default."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        status = data.get("status") or ""
        default_sort, default_dir = NEEDS_TRIAGE_SORT if not status else (DEFAULT_SORT, None)
        sort = data.get("sort") or default_sort
        direction = (
            data.get("dir")
            or (default_dir if sort == default_sort else None)
            or SORTS_BY_KEY[sort].first_dir
        )
        return {
            "q": data.get("q") or "",
            "status": status,
            "category": data.get("category"),
            "sort": sort,
            "dir": direction,
        }

    @property
    def has_filters(self) -> bool:
        # "All but merged" is a view, not a filter narrowing it.
        return any(self.data.get(name) not in ("", None, ALL_BUT_MERGED) for name in self.FILTERS)


class IdeaStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    message = forms.CharField(
        label=_("Public message (optional)"),
        required=False,
        max_length=STATUS_MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(
            attrs={"rows": 4, "placeholder": _("Why, and what happens next. Markdown.")}
        ),
        help_text=_(
            "Shown on the idea's history and sent to everyone who voted for or follows it."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = statuses.labels()
        self.fields["status"].choices = [(status, labels[status]) for status in SETTABLE_STATUSES]


class SearchForm(forms.Form):
    """A single search box (merge target, tickets to link, ideas to link)."""

    q = forms.CharField(label=_("Search"), max_length=100, required=False, strip=True)

    def text(self) -> str:
        return self.cleaned_data.get("q", "") if self.is_valid() else ""


class MergeForm(forms.Form):
    target = forms.IntegerField(widget=forms.HiddenInput)


class TicketChoiceForm(forms.Form):
    """Link or unlink one ticket (from an idea's page)."""

    ticket = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=[("link", "link"), ("unlink", "unlink")])


class IdListField(forms.Field):
    """Several ids from checkboxes of the same name; anything not a number is an error."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        try:
            return sorted({int(item) for item in values})
        except (TypeError, ValueError):
            raise ValidationError(_("Choose ideas from the list."), code="invalid") from None


class IdeaChoiceForm(forms.Form):
    """Link a ticket to several ideas at once, or unlink one (from a ticket's page)."""

    ideas = IdListField(required=False)
    action = forms.ChoiceField(choices=[("link", "link"), ("unlink", "unlink")])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("ideas") and not self.errors:
            raise ValidationError(_("Choose at least one idea."), code="required")
        return data
