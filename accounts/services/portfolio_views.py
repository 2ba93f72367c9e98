"""Saved portfolio views: save, rename, delete, and the default one.

The rules live here: only staff keep views, only the owner changes or deletes one, a
name is unique per owner, and a view stores only what the portfolio understands (its
own query parameters, the columns that exist), so a view saved from a hand-edited link
cannot carry anything else.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts import extensions
from accounts.models import PortfolioDefault, PortfolioView, User
from core.roles import STAFF_ROLES

NAME_MAX_LENGTH = 80
#: The portfolio's own query parameters; registered filters add theirs.
QUERY_KEYS = ("scope", "q", "segment", "plan", "stage", "renewal", "sort", "dir")
QUERY_VALUE_MAX_LENGTH = 100
#: Columns a view may hide; the account's name is always shown.
BUILTIN_COLUMNS = ("plan", "stage", "csm", "arr", "seats", "renewal")


def column_keys() -> list[str]:
    return [*BUILTIN_COLUMNS, *(c.key for c in extensions.portfolio_columns())]


def _query_keys() -> set[str]:
    return {*QUERY_KEYS, *(f.key for f in extensions.portfolio_filters())}


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give the view a name.")})
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            {
                "name": _("A name can be at most %(limit)d characters long.")
                % {"limit": NAME_MAX_LENGTH}
            }
        )
    return name


def _clean_query(query: Mapping[str, str]) -> dict[str, str]:
    keys = _query_keys()
    return {
        key: str(value)[:QUERY_VALUE_MAX_LENGTH]
        for key, value in query.items()
        if key in keys and str(value).strip()
    }


def _clean_columns(columns: Iterable[str]) -> list[str]:
    chosen = set(columns)
    unknown = chosen - set(column_keys())
    if unknown:
        raise ValidationError(
            {
                "columns": _("Unknown columns: %(columns)s.")
                % {"columns": ", ".join(sorted(unknown))}
            }
        )
    # In the table's order, so the view reads the same however the boxes were ticked.
    return [key for key in column_keys() if key in chosen]


def _require_staff(actor: User) -> None:
    if actor.role not in STAFF_ROLES:
        raise PermissionDenied(_("Only staff keep portfolio views."))


def _require_owner(actor: User, view: PortfolioView) -> None:
    if view.owner_id != actor.pk:
        raise PermissionDenied(_("Only the person who saved this view may change it."))


def _name_taken() -> ValidationError:
    return ValidationError({"name": _("You already have a view with this name.")})


@transaction.atomic
def portfolio_view_save(
    *,
    actor: User,
    name: str,
    query: Mapping[str, str],
    columns: Iterable[str] = (),
    shared: bool = False,
    make_default: bool = False,
) -> PortfolioView:
    """Save the portfolio as the actor sees it under a new name."""
    _require_staff(actor)
    view = PortfolioView(
        owner=actor,
        name=_clean_name(name),
        query=_clean_query(query),
        columns=_clean_columns(columns),
        shared=shared,
    )
    try:
        # A savepoint: the unique constraint decides a double-click, not a read first.
        with transaction.atomic():
            view.save()
    except IntegrityError as exc:
        raise _name_taken() from exc
    if make_default:
        portfolio_view_set_default(actor=actor, view=view)
    return view


@transaction.atomic
def portfolio_view_update(
    *, actor: User, view: PortfolioView, name: str, shared: bool
) -> PortfolioView:
    """Rename a view, or share or unshare it."""
    _require_staff(actor)
    _require_owner(actor, view)
    view.name = _clean_name(name)
    view.shared = shared
    try:
        with transaction.atomic():
            view.save(update_fields=["name", "shared", "updated_at"])
    except IntegrityError as exc:
        raise _name_taken() from exc
    if not shared:
        # Colleagues who had made it their default fall back to the plain portfolio.
        PortfolioDefault.objects.filter(view=view).exclude(user=actor).delete()
    return view


@transaction.atomic
def portfolio_view_delete(*, actor: User, view: PortfolioView) -> None:
    _require_staff(actor)
    _require_owner(actor, view)
    view.delete()


@transaction.atomic
def portfolio_view_set_default(*, actor: User, view: PortfolioView | None) -> None:
    """Make ``view`` (one the actor may open) the actor's default; None: no default."""
    _require_staff(actor)
    if view is None:
        PortfolioDefault.objects.filter(user=actor).delete()
        return
    if not PortfolioView.objects.visible_to(actor).filter(pk=view.pk).exists():
        raise PermissionDenied(_("This view is not shared with you."))
    PortfolioDefault.objects.update_or_create(user=actor, defaults={"view": view})
