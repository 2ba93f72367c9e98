"""Models of the accounts app, one module per concern."""

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

__all__ = [
    "Account",
    "AccountQuerySet",
    "Contact",
    "ContactQuerySet",
    "CsplatformUserManager",
    "DailyActivity",
    "DailyEventContact",
    "DailyUsage",
    "Note",
    "RenewalOutcome",
    "Source",
    "SurveyResponse",
    "Ticket",
    "UsageEvent",
    "User",
    "validate_time_zone",
]
