"""Models of the accounts app, one module per concern."""

from accounts.models.access import AccountDomain, Invitation, token_digest
from accounts.models.core import (
    Account,
    AccountQuerySet,
    Contact,
    ContactQuerySet,
    CsplatformUserManager,
    User,
    validate_time_zone,
)
from accounts.models.facts import (
    DailyActivity,
    DailyEventContact,
    DailyUsage,
    Note,
    Source,
    SurveyResponse,
    Ticket,
    UsageEvent,
)
from accounts.models.renewals import RenewalOutcome
from accounts.models.sso import SsoSecret, SsoTokenUse
from accounts.models.views import PortfolioDefault, PortfolioView, PortfolioViewQuerySet

__all__ = [
    "Account",
    "AccountDomain",
    "AccountQuerySet",
    "Contact",
    "ContactQuerySet",
    "CsplatformUserManager",
    "DailyActivity",
    "DailyEventContact",
    "DailyUsage",
    "Invitation",
    "Note",
    "PortfolioDefault",
    "PortfolioView",
    "PortfolioViewQuerySet",
    "RenewalOutcome",
    "Source",
    "SsoSecret",
    "SsoTokenUse",
    "SurveyResponse",
    "Ticket",
    "UsageEvent",
    "User",
    "token_digest",
    "validate_time_zone",
]
