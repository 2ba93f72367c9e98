"""Input of the idea board pages: the board's query string, the idea, comment and
on-behalf vote forms. Views hand the cleaned data to ``feedback.services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, Contact
from feedback import policies
from feedback.models import Category, Tag
from feedback.selectors.board import BOARD_SORTS, BOARD_STATUSES
from feedback.selectors.statuses import labels

TITLE_MIN, TITLE_MAX = policies.TITLE_MIN, policies.TITLE_MAX
DESCRIPTION_MAX = policies.DESCRIPTION_MAX
COMMENT_MAX = policies.COMMENT_MAX
NOTE_MAX = policies.NOTE_MAX


class BoardQueryForm(forms.Form):
    """The board's GET parameters. Unknown values are dropped, not errors: a bookmarked
    link to a category that no longer exists still shows the board."""

    q = forms.CharField(label=_("Search ideas"), max_length=100, required=False, strip=True)
    sort = forms.ChoiceField(required=False, choices=[(key, key) for key in BOARD_SORTS])
    status = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    tag = forms.ChoiceField(label=_("Tag"), required=False)

    FILTERS = ("status", "category", "tag")

    def __init__(self, data: Any, *, categories: list[Category], tags: list[Tag]) -> None:
        super().__init__(data)
        status_labels = labels()
        self.fields["status"].choices = [("", _("All statuses"))] + [
            (status.value, status_labels[status.value]) for status in BOARD_STATUSES
        ]
        # Slugs, not model choice fields: the choices were read once for the page, and
        # validating against them needs no second query.
        self.fields["category"].choices = [("", _("All categories"))] + [
            (c.slug, c.name) for c in categories
        ]
        self.fields["tag"].choices = [("", _("All tags"))] + [(t.slug, t.name) for t in tags]
        self._categories = {c.slug: c for c in categories}
        self._tags = {t.slug: t for t in tags}

    def values(self) -> dict[str, Any]:
        """Cleaned values, with each invalid one replaced by its empty default."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q", ""),
            "sort": data.get("sort", ""),
            "status": data.get("status", ""),
            "category": self._categories.get(data.get("category", "")),
            "tag": self._tags.get(data.get("tag", "")),
        }

    @property
    def has_filters(self) -> bool:
        values = self.values()
        return any(values[name] for name in self.FILTERS)


class IdeaForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX,
        min_length=TITLE_MIN,
        help_text=_("One line that says what you need, e.g. “Export reports to Excel”."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Give your idea a title.")},
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_MAX,
        required=False,
        help_text=_(
            "What are you trying to do, and what gets in the way? Markdown works: "
            "**bold**, _italic_, lists with “-”, links as [text](https://…)."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.all(),
        required=False,
        empty_label=_("No category"),
    )
    tags = forms.ModelMultipleChoiceField(
        label=_("Tags"),
        queryset=Tag.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        required=False,
        help_text=_("The language the idea is written in, so that search finds it."),
    )

    def __init__(self, *args: Any, with_language: bool = False, **kwargs: Any) -> None:
        """``with_language`` on the edit page only: a new idea takes the poster's language."""
        super().__init__(*args, **kwargs)
        if not with_language:
            del self.fields["language"]

    def clean_title(self) -> str:
        return policies.clean_title(self.cleaned_data["title"])

    def clean_language(self) -> str | None:
        """None, leaving the idea's language as it is, when the form does not send one."""
        return self.cleaned_data["language"] or None


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Add a comment"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown works. Be kind: other customers read this too."),
        error_messages={"required": _("Write something before posting the comment.")},
    )


class InternalCommentForm(CommentForm):
    """The staff-only form under the internal comments: what it posts is internal."""

    body = forms.CharField(
        label=_("Add an internal comment"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only CSMs, product managers and admins see internal comments."),
        error_messages={"required": _("Write something before posting the comment.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Two comment forms on one page: their ids must differ.
        kwargs.setdefault("auto_id", "internal_%s")
        super().__init__(*args, **kwargs)


class VoteOnBehalfForm(forms.Form):
    """A contact of one account, chosen after the account, and why they want it."""

    account = forms.ModelChoiceField(
        label=_("Account"), queryset=Account.objects.none(), widget=forms.HiddenInput
    )
    contact = forms.ModelChoiceField(
        label=_("Contact"),
        queryset=Contact.objects.none(),
        empty_label=_("Choose a contact"),
        error_messages={"required": _("Choose the contact who asked for it.")},
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Where you heard it: a call, a ticket, a QBR. Visible to your team only."),
    )

    def __init__(self, *args: Any, user, account: Account | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = Account.objects.visible_to(user)
        contacts = Contact.objects.visible_to(user)
        self.fields["contact"].queryset = (
            contacts.filter(account=account) if account is not None else contacts.none()
        )
        if account is not None:
            self.initial.setdefault("account", account.pk)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        account, contact = data.get("account"), data.get("contact")
        if account is not None and contact is not None and contact.account_id != account.pk:
            self.add_error("contact", _("This contact belongs to another account."))
        return data
