"""Reads of accounts that depend on who is asking."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, User
from accounts.roles import Role

PORTFOLIO_SCOPES = ("mine", "all")


def portfolio_accounts(*, user: User, scope: str, search: str = "") -> QuerySet[Account]:
    """The portfolio list: a CSM's own book, or every account with their own first."""
    accounts = (
        Account.objects.visible_to(user)
        .select_related("csm_owner")
        .annotate(
            is_mine=Case(
                When(csm_owner_id=user.pk, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
    )
    if scope == "mine":
        accounts = accounts.filter(csm_owner_id=user.pk)
    if search:
        accounts = accounts.filter(Q(name__icontains=search) | Q(domain__icontains=search))
    return accounts.order_by("-is_mine", "name", "pk")


def default_portfolio_scope(user: User) -> str:
    """CSMs start on their own book; everyone else on all accounts."""
    return "mine" if user.role == Role.CSM else "all"


def account_for_user(*, user: User, account_id: int) -> Account:
    return get_object_or_404(
        Account.objects.visible_to(user).select_related("csm_owner"), pk=account_id
    )


@dataclass(frozen=True)
class ChecklistStep:
    title: str
    description: str
    done: bool
    url: str = ""
    available: bool = True


def getting_started_steps() -> list[ChecklistStep]:
    """The admin's first-run checklist, each step ticked from real data."""
    has_accounts = Account.objects.exists()
    has_team = User.objects.filter(role__in=[Role.CSM, Role.PM]).exists()
    return [
        ChecklistStep(
            title=_("Import your accounts"),
            description=_(
                "Add the customer accounts you manage, with ARR, plan, segment, renewal "
                "date and CSM owner."
            ),
            done=has_accounts,
            url="admin:accounts_account_changelist",
        ),
        ChecklistStep(
            title=_("Invite your team"),
            description=_("Create users for your customer success and product managers."),
            done=has_team,
            url="admin:accounts_user_changelist",
        ),
        ChecklistStep(
            title=_("Send product usage"),
            description=_(
                "Usage events feed health scores and time to first value. Ingestion "
                "arrives in the next release."
            ),
            done=False,
            available=False,
        ),
        ChecklistStep(
            title=_("Configure the health scorecard"),
            description=_("Choose the measures, weights and thresholds behind each band."),
            done=False,
            available=False,
        ),
    ]
